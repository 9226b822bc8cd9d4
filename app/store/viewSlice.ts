/** The view slice: session-only UI state (selection, log filter, breakpoints, messages). */
import type { StateCreator } from 'zustand';
import { DEFAULT_FILTER } from '../model/filter.ts';
import type { AppState, ViewSlice } from './types.ts';

export const createViewSlice: StateCreator<AppState, [], [], ViewSlice> = (set, get) => ({
  selectedNode: null,
  selectedLink: null,
  selectedSeq: null,
  logFilter: DEFAULT_FILTER,
  breakpoints: ['will.published'],
  message: null,
  scenarioPanelOpen: false,

  selectNode(id) { set({ selectedNode: id, selectedLink: null }); },
  selectLink(link) { set({ selectedLink: link }); },
  selectEvent(seq) { set({ selectedSeq: seq }); },
  setLogFilter(patch) { set({ logFilter: { ...get().logFilter, ...patch } }); },
  setBreakpoints(kinds) { set({ breakpoints: [...kinds] }); },
  showMessage(message) { set({ message }); },
  setScenarioPanelOpen(open) {
    set({ scenarioPanelOpen: open });
    // The message bar floats over the top of the page: an information line (not an error or
    // a set-aside offer) goes away when the panel opens under it, so it covers no tab.
    if (open && get().message?.tone === 'info') set({ message: null });
    // Closing the editor on an invalid edit must not leave a hidden, unapplied draft unnoticed.
    const n = get().draftProblems.length;
    if (!open && get().draft !== null && n > 0) {
      set({ message: { tone: 'error', text: `Your edits are not applied: ${n} problem${n === 1 ? '' : 's'} remain, so the last valid scenario is still the one running. Open the scenario panel (Edit this scenario) to fix them, or discard them there.` } });
    }
  },
});
