/**
 * Reads a scenario file for the CLI: the file (or `-` for standard input), then
 * parseScenarioText. Every failure becomes lines for standard error, each starting with the
 * file name (unreadable file) or the JSON path of the offending value (CONTRACT.md section 1).
 */
import { readFileSync } from 'node:fs';
import { parseScenarioText } from '../scenario/parse.ts';
import type { ScenarioV1 } from '../scenario/types.ts';
import { LIMITS } from '../scenario/limits.ts';
import { fsReason, writeStderr } from './output.ts';

export type Loaded = { ok: true; scenario: ScenarioV1 } | { ok: false; lines: string[] };

export function loadScenario(file: string): Loaded {
  let text: string;
  try {
    const bytes = readFileSync(file === '-' ? 0 : file);
    if (bytes.length > LIMITS.textChars * 4) return { ok: false, lines: [`${file}: the file is too large`] };
    text = bytes.toString('utf8');
  } catch (err) {
    return { ok: false, lines: [`${file}: cannot read the file: ${fsReason(err)}`] };
  }
  const parsed = parseScenarioText(text);
  if (!parsed.ok) return { ok: false, lines: parsed.problems.map((p) => `${p.path}: ${p.message}`) };
  return { ok: true, scenario: parsed.scenario };
}

export function printProblems(lines: readonly string[]): void {
  for (const line of lines) writeStderr(line);
}
