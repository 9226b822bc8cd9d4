/**
 * What the worker does, as plain functions (so tests can call them without a Worker):
 * parse the scenario again (the worker trusts no message), resolve it, run it to durationMs,
 * render the trace as NDJSON exactly as the CLI does, and build what the UI derives from the
 * trace (app/view-model/derive.ts) so the UI thread does not have to.
 */
import {
  checkExpectations, parseScenario, parseScenarioText, resolveScenario, runScenario, traceToNdjson, writeCapture,
  annotationsFromTrace,
} from '../../sim/index.ts';
import type { RunOutcome, CaptureOutcome } from './runner.ts';
import { deriveRun } from '../view-model/derive.ts';
import { APP_CAPACITY, APP_LIMITS, roughCount, tooLargeForApp } from '../model/estimate.ts';
import type { ParseOutcome } from './protocol.ts';
import { runsSampled } from '../model/estimate.ts';
import { fleetOfTrace, PROGRESS_EVERY_MS, runSampled, SampledRunStopped } from '../fleet/runFleet.ts';
import type { RunProgressReport } from '../fleet/runFleet.ts';
import { FLEET_TIME_CAP_MS } from '../fleet/mode.ts';

/**
 * A run that goes this far past what the app can show is stopped (the estimate that let it
 * start was wrong, e.g. a reconnect storm), instead of growing until the tab runs out of
 * memory or string length.
 */
export const RUN_EVENT_CAP = APP_LIMITS.events * 2;
/** Wall time after which a run is stopped, so the page never says "Simulating…" forever. */
export const RUN_TIME_CAP_MS = 60_000;

class RunTooLarge extends Error {}

function errorText(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}

/**
 * Internal errors in words a user understands (the original text stays in brackets, for a bug
 * report). "Invalid string length" and friends mean the run was too big for the browser.
 */
export function userFacingError(err: unknown): string {
  if (err instanceof RunTooLarge || err instanceof SampledRunStopped) return err.message;
  const raw = errorText(err);
  if (/invalid string length|invalid array length|array buffer allocation|out of memory|allocation failed|maximum call stack/i.test(raw)) {
    return `The run was too large for the browser's memory (${raw}). ${APP_CAPACITY}`;
  }
  if (/event limit exceeded/i.test(raw)) {
    return `The run did not finish: it went over the simulator's event limit (${raw}). ${APP_CAPACITY}`;
  }
  return `The simulation stopped with an internal error: ${raw}. Please report it with the scenario file (Export scenario).`;
}

export function simulate(input: unknown, now: () => number = () => 0, onProgress?: (p: RunProgressReport) => void): RunOutcome {
  const parsed = parseScenario(input);
  if (!parsed.ok) return { ok: false, message: 'The scenario is invalid.', problems: parsed.problems };
  const tooLarge = tooLargeForApp(parsed.scenario);
  if (tooLarge) return { ok: false, message: tooLarge, problems: [] };
  const started = now();
  try {
    const resolved = resolveScenario(parsed.scenario);
    if (runsSampled(parsed.scenario)) {
      // A fleet too large to hold whole: aggregates of every device, events of a few.
      const r = runSampled(parsed.scenario, resolved, now, FLEET_TIME_CAP_MS, onProgress);
      const lanes = r.fleet.sampled?.lanes ?? [];
      return {
        ok: true, trace: r.trace, ndjson: r.ndjson, summary: r.summary, expectations: r.expectations, resolved: r.resolved,
        derived: deriveRun(r.trace, lanes, parsed.scenario.durationMs, r.resolved), fleet: r.fleet, elapsedMs: now() - started,
      };
    }
    let count = 0;
    let reported = started;
    const onEvent = (ev: { tMs: number }): void => {
      if (++count > RUN_EVENT_CAP) {
        throw new RunTooLarge(`The run was stopped after ${roughCount(RUN_EVENT_CAP)} events, more than the app can show. ${APP_CAPACITY}`);
      }
      if ((count & 0x3fff) !== 0) return;
      const t = now();
      if (t - started > RUN_TIME_CAP_MS) {
        throw new RunTooLarge(`The run was stopped after ${RUN_TIME_CAP_MS / 1000} s of computing (${roughCount(count)} events so far). ${APP_CAPACITY}`);
      }
      if (onProgress && t - reported >= PROGRESS_EVERY_MS) {
        reported = t;
        onProgress({ events: count, tMs: ev.tMs, durationMs: parsed.scenario.durationMs, elapsedMs: t - started });
      }
    };
    const result = runScenario(resolved, { onEvent, stepEnds: true });
    const expectations = checkExpectations(parsed.scenario.expect ?? [], result.trace).map((r, index) => ({
      index, ok: r.ok, message: r.message,
    }));
    const nodes = [resolved.broker.id, ...resolved.clients.map((c) => c.id)];
    const derived = deriveRun(result.trace, nodes, parsed.scenario.durationMs, resolved);
    const fleet = fleetOfTrace(parsed.scenario, resolved, result.trace);
    return {
      ok: true, trace: result.trace, ndjson: traceToNdjson(result.trace), summary: result.summary,
      expectations, resolved, derived, elapsedMs: now() - started,
      stepEnds: Int32Array.from(result.stepEnds ?? []),
      ...(fleet ? { fleet } : {}),
    };
  } catch (err) {
    return { ok: false, message: userFacingError(err), problems: [] };
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

/**
 * Reads a scenario file's text (the worker does it for large files, so that parsing 10 MiB
 * never blocks the page) and says whether the app can show it. A scenario too large to show
 * is not sent back (cloning it would cost the page what refusing it saves).
 */
export function parseText(text: string): ParseOutcome {
  const parsed = parseScenarioText(text);
  if (!parsed.ok) return { ok: false, problems: parsed.problems };
  const tooLarge = tooLargeForApp(parsed.scenario);
  if (tooLarge) return { ok: false, problems: [], tooLarge };
  return { ok: true, scenario: parsed.scenario };
}
