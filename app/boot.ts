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
import { decodeSharePayload } from './share/shareLink.ts';
import { copyName, loadCopy, saveCopy, sameDocument, SET_ASIDE_KEY, WORKING_KEY } from './store/workingCopy.ts';
import type { AppStore } from './store/store.ts';
import { openLessonFromHash, setLessonFallback } from './lessons/lessonStore.ts';

/**
 * Keeps the edited scenario in localStorage as it changes. If the browser will not store it
 * (full, disabled), leaving the page asks first instead.
 */
function keepWorkingCopy(store: AppStore): void {
  let unsaved = false;
  store.subscribe((s, prev) => {
    if (!s.edited || (s.scenario === prev.scenario && s.draft === prev.draft && s.edited === prev.edited)) return;
    unsaved = !saveCopy(WORKING_KEY, s.workingCopy());
  });
  window.addEventListener('beforeunload', (e) => {
    if (unsaved && store.getState().edited) e.preventDefault();
  });
}

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
  window.addEventListener('hashchange', () => {
    if (openLessonFromHash(window.location.hash)) return;
    if (openHash()) return;
    // Back from a share link (to the address without one): the edits it replaced come back.
    if (payloadFromHash(window.location.hash) === null && getState().setAside && getState().scenarioSource === 'share link') {
      getState().restoreSetAside();
    }
  });

  // Edits from the last visit (a reload, a closed tab): a share link in the address takes
  // the screen and the edits are set aside (unless the link is that very scenario).
  const kept = loadCopy(WORKING_KEY);
  const keptAside = loadCopy(SET_ASIDE_KEY);
  if (keptAside) store.setState({ setAside: { name: copyName(keptAside) } });
  // A lesson link (#lesson=<id>&step=<n>): the lesson loads its own scenario; kept edits go
  // on screen first so that the lesson's load sets them aside rather than losing them.
  if (window.location.hash.startsWith('#lesson=')) {
    if (kept) getState().restoreCopy(kept);
    keepWorkingCopy(store);
    // A link naming no lesson: the first shipped scenario (else the built-in default) instead.
    setLessonFallback(async () => {
      const entries = await loadGallery();
      const text = entries[0] ? await fetchScenarioText(entries[0].file) : null;
      if (text === null || !getState().importScenario(text, entries[0]!.file).ok) getState().loadScenario(DEFAULT_SCENARIO, 'built-in default');
    });
    openLessonFromHash(window.location.hash);
    void loadGallery().then((entries) => getState().setGallery(entries));
    return;
  }
  const payload = payloadFromHash(window.location.hash);
  const decoded = payload !== null ? decodeSharePayload(payload) : null;
  if (kept && decoded?.ok && (() => { try { return sameDocument(kept, JSON.parse(decoded.json)); } catch { return false; } })()) {
    getState().restoreCopy(kept, `Restored your edits to “${copyName(kept)}” (kept in this browser).`);
    keepWorkingCopy(store);
    void loadGallery().then((entries) => getState().setGallery(entries));
    return;
  }
  if (kept && payload === null) {
    getState().restoreCopy(kept, `Restored your unsaved edits to “${copyName(kept)}” (kept in this browser).`);
  } else if (kept) {
    store.setState({ edited: true, scenario: kept.scenario, draft: kept.draft, scenarioSource: kept.source });
  }
  keepWorkingCopy(store);

  const fromLink = kept && payload === null ? true : openHash();
  if (!fromLink && getState().edited) {
    // The link was refused: the kept edits stay on screen.
    const message = getState().message;
    getState().restoreCopy(kept!);
    getState().showMessage(message);
  } else if (!fromLink) {
    const message = getState().message;
    getState().loadScenario(DEFAULT_SCENARIO, 'built-in default');
    getState().showMessage(message);
  }

  void loadGallery().then(async (entries) => {
    getState().setGallery(entries);
    const first = entries[0];
    // Replace the built-in default by the first shipped scenario, unless the user has
    // already moved on (a share link, an import, an edit).
    if (fromLink || !first || getState().scenarioSource !== 'built-in default' || getState().edited) return;
    const text = await fetchScenarioText(first.file);
    if (text === null || getState().scenarioSource !== 'built-in default' || getState().edited) return;
    const message = getState().message; // e.g. a refused share link: keep it visible
    getState().importScenario(text, first.file);
    getState().showMessage(message);
  });
}
