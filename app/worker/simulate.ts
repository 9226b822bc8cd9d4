/**
 * What the worker does, as plain functions (so tests can call them without a Worker):
 * parse the scenario again (the worker trusts no message), resolve it, run it to durationMs,
 * render the trace as NDJSON exactly as the CLI does, and build what the UI derives from the
 * trace (derived.ts) so the UI thread does not have to.
 */
import {
  checkExpectations, parseScenario, resolveScenario, runScenario, traceToNdjson, writeCapture,
  annotationsFromTrace,
} from '../../sim/index.ts';
import type { RunOutcome, CaptureOutcome } from './runner.ts';
import { deriveRun } from './derived.ts';

function errorText(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}

export function simulate(input: unknown, now: () => number = () => 0): RunOutcome {
  const parsed = parseScenario(input);
  if (!parsed.ok) return { ok: false, message: 'The scenario is invalid.', problems: parsed.problems };
  const started = now();
  try {
    const resolved = resolveScenario(parsed.scenario);
    const result = runScenario(resolved, {});
    const expectations = checkExpectations(parsed.scenario.expect ?? [], result.trace).map((r, index) => ({
      index, ok: r.ok, message: r.message,
    }));
    const nodes = [parsed.scenario.broker.id, ...parsed.scenario.clients.map((c) => c.id)];
    const derived = deriveRun(result.trace, nodes, parsed.scenario.durationMs, resolved);
    return {
      ok: true, trace: result.trace, ndjson: traceToNdjson(result.trace), summary: result.summary,
      expectations, derived, elapsedMs: now() - started,
    };
  } catch (err) {
    return { ok: false, message: `The simulation stopped: ${errorText(err)}`, problems: [] };
  }
}

export function capture(input: unknown): CaptureOutcome {
  const parsed = parseScenario(input);
  if (!parsed.ok) return { ok: false, message: 'The scenario is invalid.' };
  try {
    const resolved = resolveScenario(parsed.scenario);
    const result = runScenario(resolved, { recordWire: true });
    return { ok: true, bytes: writeCapture(result.wire, result.addresses, annotationsFromTrace(result.trace)) };
  } catch (err) {
    return { ok: false, message: `The capture failed: ${errorText(err)}` };
  }
}
