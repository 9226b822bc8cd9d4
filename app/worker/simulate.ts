/**
 * What the worker does, as plain functions (so tests can call them without a Worker):
 * parse the scenario again (the worker trusts no message), resolve it, run it to durationMs,
 * and render the trace as NDJSON exactly as the CLI does.
 */
import {
  checkExpectations, parseScenario, resolveScenario, runScenario, traceToNdjson, writeCapture,
} from '../../sim/index.ts';
import type { TraceEvent } from '../../sim/index.ts';
import type { RunOutcome, CaptureOutcome } from './runner.ts';

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
    return {
      ok: true, trace: result.trace, ndjson: traceToNdjson(result.trace), summary: result.summary,
      expectations, elapsedMs: now() - started,
    };
  } catch (err) {
    return { ok: false, message: `The simulation stopped: ${errorText(err)}`, problems: [] };
  }
}

function actionText(e: Record<string, unknown>): string {
  const target = Array.isArray(e['link']) ? (e['link'] as string[]).join('–') : String(e['node'] ?? '');
  const dir = typeof e['direction'] === 'string' && e['direction'] !== 'both' ? ` (${e['direction']})` : '';
  return `${String(e['do'])} ${target}${dir}`;
}

/** Every action (fault) of the run becomes a packet comment in Wireshark. */
function annotations(trace: readonly TraceEvent[]): { tUs: number; text: string }[] {
  return trace.filter((e) => e.kind === 'action').map((e) => ({
    tUs: Math.round(e.tMs * 1000), text: `action: ${actionText(e as unknown as Record<string, unknown>)}`,
  }));
}

export function capture(input: unknown): CaptureOutcome {
  const parsed = parseScenario(input);
  if (!parsed.ok) return { ok: false, message: 'The scenario is invalid.' };
  try {
    const resolved = resolveScenario(parsed.scenario);
    const result = runScenario(resolved, { recordWire: true });
    return { ok: true, bytes: writeCapture(result.wire, result.addresses, annotations(result.trace)) };
  } catch (err) {
    return { ok: false, message: `The capture failed: ${errorText(err)}` };
  }
}
