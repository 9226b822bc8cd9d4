/**
 * Reading older scenario files: every version is migrated up, one step at a time, to the
 * latest before validation (CONTRACT.md section 2, "Later versions are read by migrating
 * older files up").
 *
 * Only version 1 exists, so the table is empty; the structure is here so that version 2
 * adds `MIGRATIONS[1] = (v1) => v2` and bumps `LATEST_VERSION`, and every old file keeps
 * meaning what it meant. A migration gets a shallow copy and must not mutate nested input.
 */
import type { Problem } from './check.ts';

export const LATEST_VERSION = 1;
export const OLDEST_VERSION = 1;

type Json = Record<string, unknown>;

/** MIGRATIONS[n] turns a version-n object into a version-(n+1) object. */
export const MIGRATIONS: Readonly<Record<number, (file: Json) => Json>> = {};

/** `file` is null when the file cannot be read at all (a version from the future). */
export interface MigrateResult { file: Json | null; problems: Problem[] }

/**
 * Reads `version` and migrates. A missing or malformed version is reported and the file is
 * read as the latest version, so that its other problems are reported too; a version newer
 * than this program stops here (its meaning is unknown).
 */
export function migrateToLatest(file: Json, hasVersion: boolean, version: unknown): MigrateResult {
  const problems: Problem[] = [];
  const range = `from ${OLDEST_VERSION} to ${LATEST_VERSION}`;
  if (!hasVersion) {
    problems.push({ path: 'version', message: `is required (the format version; this Halfopen reads versions ${range})` });
    return { file: { ...file }, problems };
  }
  if (typeof version !== 'number' || !Number.isInteger(version) || version < OLDEST_VERSION) {
    problems.push({ path: 'version', message: `must be an integer ${range}` });
    return { file: { ...file }, problems };
  }
  if (version > LATEST_VERSION) {
    problems.push({
      path: 'version',
      message: `version ${version} is newer than this Halfopen understands (it reads versions ${range}); update Halfopen`,
    });
    return { file: null, problems };
  }
  let current: Json = { ...file };
  for (let v = version; v < LATEST_VERSION; v++) {
    const step = MIGRATIONS[v];
    if (step === undefined) {
      problems.push({ path: 'version', message: `no migration from version ${v} (internal error)` });
      return { file: null, problems };
    }
    current = { ...step(current), version: v + 1 };
  }
  return { file: current, problems };
}
