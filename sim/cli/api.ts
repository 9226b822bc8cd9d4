/**
 * The programmatic API of the `halfopen` package (`import { runFile } from 'halfopen'`),
 * built into lib/index.mjs with declarations in lib/types. Node only (it reads files); the
 * pure simulator underneath is sim/index.ts, re-exported here.
 *
 * - `validateFile` / `validateText`: the checks of `halfopen validate`, with the same lines
 *   (`clients[0].keepAliveSeconds: must be an integer from 0 to 65535`).
 * - `runFile` / `runScenario`: run a scenario; `runFile` also checks its `expect` entries and
 *   gives the same failure lines as `halfopen run`.
 * - `readTrace`: an NDJSON trace (from `--trace`) back into events, each checked against the
 *   trace schema.
 * - `scenarioJsonSchema`: the JSON Schema of scenario files (also lib/scenario.schema.json,
 *   `halfopen/scenario.schema.json`).
 * - Everything sim/index.ts exports, the world reducer (`World`, `worldAt`, `worldHistory`,
 *   sim/world) included.
 */
import { loadScenario, decodeText } from './load.ts';
import { parseScenarioText } from '../scenario/parse.ts';
import { resolveScenario } from '../scenario/resolve.ts';
import { checkExpectations } from '../scenario/expect.ts';
import { runScenario } from '../run.ts';
import { eventProblems } from '../trace/check.ts';
import type { ResolvedScenario, ScenarioV1 } from '../scenario/types.ts';
import type { RunOptions, RunResult } from '../run-types.ts';
import type { TraceEvent } from '../trace/types.ts';

export * from '../index.ts';
export { eventToLine } from '../trace/ndjson.ts';
export { eventProblems } from '../trace/check.ts';
export { TRACE_SCHEMA } from '../trace/schema.ts';
export { scenarioJsonSchema } from '../scenario/json-schema.ts';

/** A valid scenario, or the problems, one line each, as `halfopen validate` prints them. */
export type Validated = { ok: true; scenario: ScenarioV1 } | { ok: false; lines: string[] };

/** Checks a scenario file (or `-`, standard input) exactly as `halfopen validate FILE` does. */
export function validateFile(path: string): Validated {
  return loadScenario(path);
}

/** Checks scenario text (or UTF-8 bytes) as `halfopen validate` checks a file's contents. */
export function validateText(text: string | Uint8Array): Validated {
  let source: string;
  if (typeof text === 'string') source = text;
  else {
    const decoded = decodeText(text);
    if (!decoded.ok) return { ok: false, lines: [decoded.line] };
    source = decoded.text;
  }
  const parsed = parseScenarioText(source);
  if (!parsed.ok) return { ok: false, lines: parsed.problems.map((p) => `${p.path}: ${p.message}`) };
  return { ok: true, scenario: parsed.scenario };
}

export interface FileRun {
  resolved: ResolvedScenario;
  result: RunResult;
  /** One line per `expect` entry that did not hold, as `halfopen run` prints them (exit 1). */
  failures: string[];
  /** How many `expect` entries were checked. */
  checked: number;
}

/**
 * Validates and runs a scenario file, keeps its trace (unless `keepTrace: false`) and checks
 * its `expect` entries. Throws an Error whose message is the validation lines when the file
 * is unusable, and InvariantViolation when the simulator breaks an invariant.
 */
export function runFile(path: string, options: RunOptions = {}): FileRun {
  const loaded = loadScenario(path);
  if (!loaded.ok) throw new Error(loaded.lines.join('\n'));
  const resolved = resolveScenario(loaded.scenario);
  const kinds = new Set(resolved.expect.map((e) => e.kind));
  const selected: TraceEvent[] = [];
  const user = options.onEvent;
  const opts: RunOptions = { ...options };
  if (kinds.size > 0 || user !== undefined) {
    opts.onEvent = (e) => {
      if (kinds.has(e.kind)) selected.push(e);
      if (user !== undefined) user(e);
    };
  }
  const result = runScenario(resolved, opts);
  const results = checkExpectations(resolved.expect, selected);
  return { resolved, result, failures: results.filter((r) => !r.ok).map((r) => r.message), checked: results.length };
}

/**
 * Reads an NDJSON trace (`halfopen run --trace`): one event per non-empty line. Throws an
 * Error naming the line when a line is not JSON or not a trace event of the schema.
 */
export function readTrace(text: string): TraceEvent[] {
  const out: TraceEvent[] = [];
  const lines = text.split('\n');
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i] ?? '';
    if (line === '') continue;
    let value: unknown;
    try { value = JSON.parse(line); } catch (err) {
      throw new Error(`line ${i + 1}: not JSON: ${err instanceof Error ? err.message : String(err)}`);
    }
    if (typeof value !== 'object' || value === null || Array.isArray(value)) {
      throw new Error(`line ${i + 1}: not a JSON object`);
    }
    const problems = eventProblems(value as Record<string, unknown>);
    if (problems.length > 0) throw new Error(`line ${i + 1}: ${problems.join('; ')}`);
    out.push(value as TraceEvent);
  }
  return out;
}
