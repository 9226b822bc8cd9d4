/**
 * Start-up: create the store with the worker runner, then load, in this order of preference,
 * the scenario of a share link in the URL (#scenario=...), the first shipped scenario listed
 * in scenarios/index.json, or the embedded default.
 */
import { DEFAULT_SCENARIO } from './defaultScenario.ts';
import { loadGallery, fetchScenarioText } from './scenarios/gallery.ts';
import { payloadFromHash } from './share/shareLink.ts';
import { createAppStore, installStore } from './store/store.ts';
import { createWorkerRunner } from './worker/runner.ts';
import { importFileObject } from './scenarios/ScenarioBar.tsx';

/**
 * A file dropped anywhere on the page is imported like one chosen with Import scenario (same
 * size limit, same checks). Without this the browser would open the dropped file in place of
 * the app, and the scenario being worked on would be gone. Dropped text or links are ignored.
 */
function acceptDroppedFiles(): void {
  const hasFiles = (e: DragEvent): boolean => [...(e.dataTransfer?.types ?? [])].includes('Files');
  window.addEventListener('dragover', (e) => {
    e.preventDefault();
    if (e.dataTransfer) e.dataTransfer.dropEffect = hasFiles(e) ? 'copy' : 'none';
  });
  window.addEventListener('drop', (e) => {
    e.preventDefault();
    const file = e.dataTransfer?.files[0];
    if (file) void importFileObject(file);
  });
}

export function boot(): void {
  const store = createAppStore(createWorkerRunner(), DEFAULT_SCENARIO);
  installStore(store);
  const { getState } = store;
  acceptDroppedFiles();

  const openHash = (): boolean => {
    const payload = payloadFromHash(window.location.hash);
    if (payload === null) return false;
    return getState().importShareLink(payload).ok;
  };
  window.addEventListener('hashchange', () => { openHash(); });

  const fromLink = openHash();
  if (!fromLink) {
    const message = getState().message;
    getState().loadScenario(DEFAULT_SCENARIO, 'built-in default');
    getState().showMessage(message);
  }

  void loadGallery().then(async (entries) => {
    getState().setGallery(entries);
    const first = entries[0];
    // Replace the built-in default by the first shipped scenario, unless the user has
    // already moved on (a share link, an import, an edit).
    if (fromLink || !first || getState().scenarioSource !== 'built-in default') return;
    const text = await fetchScenarioText(first.file);
    if (text === null || getState().scenarioSource !== 'built-in default') return;
    const message = getState().message; // e.g. a refused share link: keep it visible
    getState().importScenario(text, first.file);
    getState().showMessage(message);
  });
}
