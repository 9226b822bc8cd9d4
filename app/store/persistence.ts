/**
 * Where each piece of state may go. Typed against the store's data keys: adding a key to a
 * slice without deciding here does not compile. `export`: written by Export scenario and
 * Share link. `local`: kept in this browser's localStorage while edited (workingCopy.ts), so a
 * reload or a share link opened in the same tab does not lose the user's edits.
 */
import type { AppState } from './types.ts';

type DataKey = { [K in keyof AppState]: AppState[K] extends (...args: never[]) => unknown ? never : K }[keyof AppState];

export const PERSISTENCE: Record<DataKey, { export: boolean; local: boolean }> = {
  // scenario slice: the document
  scenario: { export: true, local: true },
  scenarioSource: { export: false, local: true },
  draft: { export: false, local: true },
  edited: { export: false, local: true },
  setAside: { export: false, local: true },
  draftProblems: { export: false, local: false },
  gallery: { export: false, local: false },
  // run slice: derived from the scenario, recomputed on load
  runStatus: { export: false, local: false },
  runMessage: { export: false, local: false },
  trace: { export: false, local: false },
  ndjson: { export: false, local: false },
  summary: { export: false, local: false },
  expectations: { export: false, local: false },
  resolved: { export: false, local: false },
  stepEnds: { export: false, local: false },
  derived: { export: false, local: false },
  cursorWorld: { export: false, local: false },
  fleet: { export: false, local: false },
  durationMs: { export: false, local: false },
  cursorMs: { export: false, local: false },
  cursorSeq: { export: false, local: false },
  playing: { export: false, local: false },
  speed: { export: false, local: false },
  runTimeMs: { export: false, local: false },
  // view slice: session only
  selectedNode: { export: false, local: false },
  selectedLink: { export: false, local: false },
  selectedSeq: { export: false, local: false },
  logFilter: { export: false, local: false },
  breakpoints: { export: false, local: false },
  message: { export: false, local: false },
  scenarioPanelOpen: { export: false, local: false },
};

/** The exported document: exactly the keys marked `export` (today: the scenario). */
export function exportScenarioText(state: AppState): string {
  return `${JSON.stringify(state.scenario, null, 2)}\n`;
}
