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
  setScenarioPanelOpen(open) { set({ scenarioPanelOpen: open }); },
});
