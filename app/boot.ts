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

export function boot(): void {
  const store = createAppStore(createWorkerRunner(), DEFAULT_SCENARIO);
  installStore(store);
  const { getState } = store;

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
