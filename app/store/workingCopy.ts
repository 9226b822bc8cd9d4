/**
 * The working copy: a scenario the user has edited (in the editor, or by injecting or removing
 * a fault) is kept in this browser's localStorage as it changes, so that a reload, a share
 * link opened in the same tab or another import never loses it without a word.
 *
 * - `halfopen.workingCopy.v1`: the edited scenario now on screen (with its draft, if the
 *   latest edits do not validate yet). Restored on load, with a notice.
 * - `halfopen.setAside.v1`: edits that another scenario replaced (a share link, an import,
 *   the gallery). The page offers to restore them; Back from a share link restores them.
 *
 * What is read back is checked again (parseScenario): storage is not trusted either.
 */
import { parseScenario } from '../../sim/index.ts';
import type { Scenario } from '../../sim/index.ts';

export const WORKING_KEY = 'halfopen.workingCopy.v1';
export const SET_ASIDE_KEY = 'halfopen.setAside.v1';

export interface WorkingCopy {
  scenario: Scenario;
  /** Edits that do not validate yet (shown in the editor with their problems). */
  draft: Scenario | null;
  source: string;
  savedAt: number;
}

function storage(): Storage | null {
  try { return typeof localStorage === 'undefined' ? null : localStorage; } catch { return null; }
}

/** Saves a copy; false when the browser refused (storage full or disabled). */
export function saveCopy(key: string, copy: WorkingCopy | null): boolean {
  const s = storage();
  if (!s) return false;
  try {
    if (copy === null) s.removeItem(key);
    else s.setItem(key, JSON.stringify(copy));
    return true;
  } catch {
    return false;
  }
}

export function loadCopy(key: string): WorkingCopy | null {
  const s = storage();
  if (!s) return null;
  let raw: unknown;
  try {
    const text = s.getItem(key);
    if (text === null) return null;
    raw = JSON.parse(text);
  } catch {
    return null;
  }
  if (typeof raw !== 'object' || raw === null) return null;
  const r = raw as Record<string, unknown>;
  const parsed = parseScenario(r['scenario']);
  if (!parsed.ok) return null;
  const draft = typeof r['draft'] === 'object' && r['draft'] !== null && !Array.isArray(r['draft'])
    ? r['draft'] as Scenario : null;
  return {
    scenario: parsed.scenario, draft,
    source: typeof r['source'] === 'string' ? r['source'].slice(0, 200) : 'your edits',
    savedAt: typeof r['savedAt'] === 'number' ? r['savedAt'] : 0,
  };
}

/** The copy's name as the user sees it (the draft's, when it has one). */
export function copyName(c: WorkingCopy): string {
  const name = typeof c.draft?.name === 'string' && c.draft.name ? c.draft.name : c.scenario.name;
  return name.length > 80 ? `${name.slice(0, 80)}…` : name;
}

/** Same document, no pending draft: setting it aside would only duplicate it. */
export function sameDocument(c: WorkingCopy, scenario: Scenario): boolean {
  return c.draft === null && JSON.stringify(c.scenario) === JSON.stringify(scenario);
}
