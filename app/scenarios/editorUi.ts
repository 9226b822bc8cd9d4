/**
 * The scenario panel's own state (which tab, and whether a close was refused because edits
 * are not applied), kept beside the app's store so the scenario strip can open the editor and
 * the panel can say why it stayed open. An invalid draft is never hidden: closing the panel
 * with one asks whether to keep editing or discard it.
 */
import { createStore } from 'zustand/vanilla';
import { useStore } from 'zustand';
import { getAppStore } from '../store/store.ts';

export interface EditorUi { tab: 'gallery' | 'edit'; closeAsked: boolean }

export const editorUi = createStore<EditorUi>()(() => ({ tab: 'gallery', closeAsked: false }));

export function useEditorUi<T>(selector: (s: EditorUi) => T): T {
  return useStore(editorUi, selector);
}

export function setTab(tab: EditorUi['tab']): void {
  editorUi.setState({ tab });
}

/** Opens the panel on the editor (the scenario strip's "edits not applied" button). */
export function openEditor(): void {
  editorUi.setState({ tab: 'edit' });
  getAppStore().getState().setScenarioPanelOpen(true);
}

/** Closes the panel, unless edits are waiting as an invalid draft: then it stays open on the editor and asks. */
export function closeScenarioPanel(): void {
  const app = getAppStore().getState();
  if (app.draft) {
    editorUi.setState({ tab: 'edit', closeAsked: true });
    return;
  }
  editorUi.setState({ closeAsked: false });
  app.setScenarioPanelOpen(false);
}

/** Discards the draft and closes the panel. */
export function discardAndClose(): void {
  const app = getAppStore().getState();
  app.discardDraft();
  editorUi.setState({ closeAsked: false });
  app.setScenarioPanelOpen(false);
}

export function keepEditing(): void {
  editorUi.setState({ closeAsked: false });
}
