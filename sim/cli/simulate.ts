/**
 * The body of `halfopen run`: runs the resolved scenario, streams the trace to a file
 * descriptor as it is produced (a temporary file, or standard output: fd 1, synchronously, in
 * chunks, so memory stays flat however long the trace), writes the capture, checks the
 * expectations, and says how it ended as plain data (an `Outcome`), so that it can run in a
 * worker thread (sim-worker.ts) while the main thread stays free to answer Ctrl-C.
 */
import { checkExpectations } from '../scenario/expect.ts';
import type { ResolvedScenario, BrokerProfileName } from '../scenario/types.ts';
import { eventToLine } from '../trace/ndjson.ts';
import type { TraceEvent } from '../trace/types.ts';
import type { RunOptions, RunResult, RunSummary } from '../run-types.ts';
import { ANNOTATED_KINDS, annotationText, writeCapture } from '../pcap/capture.ts';
import { fsReason, ReaderGone, writeAllSync } from './output.ts';
import { escapeTraceLine } from './terminal.ts';
import { FleetAggregator } from '../fleet/aggregator.ts';
import type { FleetGroup } from '../fleet/groups.ts';
import type { FleetReport } from '../fleet/types.ts';

export interface Job {
  resolved: ResolvedScenario;
  seed?: number;
  brokerProfile?: BrokerProfileName;
  untilMs?: number;
  /** Where the trace goes (already open), or null for no trace. */
  traceFd: number | null;
  /** The trace goes to a terminal: escape DEL, C1 and bidi controls (still the same JSON). */
  traceEscape: boolean;
  pcapFd: number | null;
  /** Call onProgress about this often (wall-clock milliseconds); 0 = never. */
  progressEveryMs: number;
  /** The scenario's client groups, for the fleet summary (sim/fleet groups.ts). */
  groups: FleetGroup[];
}

export type Outcome =
  | { kind: 'done'; summary: RunSummary; failures: string[]; checked: number; fleet: FleetReport }
  | { kind: 'invariant'; message: string }
  | { kind: 'output'; option: '--trace' | '--pcap'; reason: string }
  | { kind: 'reader-gone' }
  | { kind: 'other'; message: string; stack?: string };

class TraceWriteError extends Error {
  constructor(readonly failure: unknown) { super('trace write failed'); }
}

const CHUNK_CHARS = 1 << 18;

function isInvariantViolation(err: unknown): err is Error {
  return err instanceof Error && (err.name === 'InvariantViolation' || err.constructor.name === 'InvariantViolation');
}

export async function simulate(job: Job, onProgress?: (tMs: number, events: number) => void): Promise<Outcome> {
  const { runScenario } = await import('../run.ts');
  const resolved = job.resolved;
  const expectKinds = new Set(resolved.expect.map((e) => e.kind));
  const selected: TraceEvent[] = [];
  const notes: { tUs: number; text: string }[] = [];
  const wantsCapture = job.pcapFd !== null;
  const traceFd = job.traceFd;
  let pending = '';
  const flush = (): void => {
    if (traceFd === null || pending === '') return;
    const bytes = Buffer.from(pending, 'utf8');
    pending = '';
    try { writeAllSync(traceFd, bytes); } catch (err) {
      throw err instanceof ReaderGone ? err : new TraceWriteError(err);
    }
  };
  // Trace event objects are built only when something reads them: the trace, the capture's
  // annotations or an `expect` entry. Otherwise the engine runs with no listener (no object
  // per event; the invariant checker reads the fields directly).
  // The fleet summary reads every event too (O(1) each, no trace kept).
  const fleet = new FleetAggregator(resolved, { endMs: job.untilMs ?? resolved.durationMs, groups: job.groups });
  const needsEvents = true;
  const onEvent = (e: TraceEvent): void => {
    fleet.add(e);
    if (expectKinds.has(e.kind)) selected.push(e);
    if (wantsCapture && ANNOTATED_KINDS.has(e.kind)) notes.push({ tUs: Math.round(e.tMs * 1000), text: annotationText(e) });
    if (traceFd !== null) {
      pending += job.traceEscape ? escapeTraceLine(eventToLine(e)) : eventToLine(e);
      if (pending.length >= CHUNK_CHARS) flush();
    }
  };
  let lastProgress = performance.now();
  const progress = onProgress !== undefined && job.progressEveryMs > 0
    ? (tMs: number, events: number): void => {
      const now = performance.now();
      if (now - lastProgress >= job.progressEveryMs) { lastProgress = now; onProgress(tMs, events); }
    }
    : undefined;

  let result: RunResult;
  try {
    // The engine's default event bound protects browser tabs; a headless run may be long
    // (Ctrl-C stops it), so the CLI only guards against runaway loops.
    const options: RunOptions = { keepTrace: false, recordWire: wantsCapture, maxEvents: 2_000_000_000 };
    if (needsEvents) options.onEvent = onEvent;
    if (progress !== undefined) options.onProgress = progress;
    if (job.seed !== undefined) options.seed = job.seed;
    if (job.brokerProfile !== undefined) options.brokerProfile = job.brokerProfile;
    if (job.untilMs !== undefined) options.untilMs = job.untilMs;
    result = runScenario(resolved, options);
    flush();
  } catch (err) {
    if (err instanceof ReaderGone) return { kind: 'reader-gone' };
    if (err instanceof TraceWriteError) return { kind: 'output', option: '--trace', reason: fsReason(err.failure) };
    if (isInvariantViolation(err)) return { kind: 'invariant', message: err.message };
    const out: Outcome = { kind: 'other', message: err instanceof Error ? err.message : String(err) };
    if (err instanceof Error && err.stack !== undefined) out.stack = err.stack;
    return out;
  }

  if (job.pcapFd !== null) {
    try {
      const bytes = writeCapture(result.wire, result.addresses, notes, {
        comment: `${resolved.name} (seed ${result.summary.seed}, broker profile ${result.summary.brokerProfile})`,
      });
      writeAllSync(job.pcapFd, bytes);
    } catch (err) {
      return { kind: 'output', option: '--pcap', reason: fsReason(err) };
    }
  }

  const results = checkExpectations(resolved.expect, selected);
  return {
    kind: 'done', summary: result.summary, failures: results.filter((r) => !r.ok).map((r) => r.message), checked: results.length,
    fleet: fleet.finish(),
  };
}
