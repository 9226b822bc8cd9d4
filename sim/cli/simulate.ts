/**
 * The body of `halfopen run`: runs the resolved scenario, streams the trace to a file
 * descriptor as it is produced (a temporary file, or standard output: fd 1, in chunks, so
 * memory stays flat however long the trace), writes the capture, checks the expectations,
 * and says how it ended as plain data (an `Outcome`).
 *
 * The run goes in slices of engine events (sim/run.ts startScenario), and between two slices
 * this returns to Node's event loop, so that the command's SIGINT / SIGTERM handlers run
 * (they ask it to stop; it returns null at the next slice boundary, within ~0.1 s). A small
 * run is one slice. A full pipe on standard output (EAGAIN: the reader is slow or paused) is
 * waited out between slices too, never inside one, so Ctrl-C is answered while it waits.
 */
import { checkExpectations } from '../scenario/expect.ts';
import type { ResolvedScenario, BrokerProfileName } from '../scenario/types.ts';
import { fieldsToLine } from '../trace/ndjson.ts';
import { eventOfFields } from '../trace/lent.ts';
import type { Kind, TraceEvent, TraceFields } from '../trace/types.ts';
import type { RunOptions, RunResult, RunSummary } from '../run-types.ts';
import { ANNOTATED_KINDS, annotationText, writeCapture } from '../pcap/capture.ts';
import { fsReason, ReaderGone, writeAllSync } from './output.ts';
import { writeSync } from 'node:fs';
import { escapeTraceLine } from './terminal.ts';
import { fieldsToBytes } from './trace-bytes.ts';
import { FleetAggregator, FLEET_KINDS } from '../fleet/aggregator.ts';
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
  /**
   * Keep the fleet's per-group levels over time (only `--summary json` prints them): each
   * device outside a group is a group of its own, so 100,000 of them over an hour would take
   * 2.9 GB (FleetOptions.groupSeries).
   */
  groupSeries: boolean;
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

/** Trace bytes are gathered in a buffer of this size and written when it is full. */
const CHUNK_BYTES = 1 << 20;

function isInvariantViolation(err: unknown): err is Error {
  return err instanceof Error && (err.name === 'InvariantViolation' || err.constructor.name === 'InvariantViolation');
}

/** Engine events per slice: a few tens of milliseconds of work, even with the trace on. */
const SLICE_EVENTS = 20_000;

/** Where the trace's bytes go: written at once, or kept while the pipe is full (EAGAIN). */
class TraceOut {
  private readonly backlog: Uint8Array[] = [];
  /** Bytes written so far (the wait between slices asks whether a retry made progress). */
  written = 0;
  constructor(private readonly fd: number) {}

  /** Writes what it can now; the rest (a full pipe) waits in the backlog, in order. */
  /** `bytes` may be reused by the caller afterwards: what has to wait is copied. */
  write(bytes: Uint8Array): void {
    if (this.backlog.length > 0) { this.backlog.push(Uint8Array.prototype.slice.call(bytes)); return; }
    if (!this.push(bytes)) this.backlog[0] = Uint8Array.prototype.slice.call(this.backlog[0]!);
  }

  get blocked(): boolean { return this.backlog.length > 0; }

  /** Tries the backlog again; true when it is all written. */
  retry(): boolean {
    while (this.backlog.length > 0) {
      const bytes = this.backlog.shift()!;
      if (!this.push(bytes)) return false;
    }
    return true;
  }

  /** Writes `bytes`; false when the pipe filled up (the rest was put first in the backlog). */
  private push(bytes: Uint8Array): boolean {
    let offset = 0;
    while (offset < bytes.length) {
      try {
        const n = writeSync(this.fd, bytes, offset, bytes.length - offset);
        offset += n;
        this.written += n;
      } catch (err) {
        const code = (err as NodeJS.ErrnoException).code;
        if (code === 'EAGAIN') { this.backlog.unshift(bytes.subarray(offset)); return false; }
        if (code === 'EPIPE') throw new ReaderGone('the reader went away');
        throw new TraceWriteError(err);
      }
    }
    return true;
  }
}

const pause = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * Runs the job. `shouldStop` is asked between slices (a signal arrived): the run is dropped
 * and null returned; nothing has been committed, the caller removes the temporary files.
 */
export async function simulate(
  job: Job, onProgress?: (tMs: number, events: number) => void, shouldStop: () => boolean = () => false,
): Promise<Outcome | null> {
  const { startScenario } = await import('../run.ts');
  const resolved = job.resolved;
  const expectKinds = new Set(resolved.expect.map((e) => e.kind));
  const selected: TraceEvent[] = [];
  const notes: { tUs: number; text: string }[] = [];
  const wantsCapture = job.pcapFd !== null;
  const traceFd = job.traceFd;
  const out = traceFd === null ? null : new TraceOut(traceFd);
  // Each line is encoded into the chunk as it comes (Buffer#write: UTF-8); building one long
  // string and encoding it at once cost more than the lines themselves (flattening the rope).
  const chunk = Buffer.allocUnsafe(traceFd === null ? 0 : CHUNK_BYTES);
  let used = 0;
  const flush = (): void => {
    if (out === null || used === 0) return;
    out.write(chunk.subarray(0, used));
    used = 0;
  };
  const addLine = (line: string): void => {
    // A UTF-16 unit takes at most 3 bytes of UTF-8 (a surrogate pair: 4 for 2 units).
    if (used + line.length * 3 > CHUNK_BYTES) {
      flush();
      if (line.length * 3 > CHUNK_BYTES) { out!.write(Buffer.from(line, 'utf8')); return; }
    }
    used += chunk.write(line, used);
  };
  /**
   * Between slices (and at the end): waits while the pipe is full; false when told to stop.
   * A retry that wrote something means the reader keeps up: try again on the next turn of the
   * event loop (a pipe holds 64 KiB, which a reader like gzip or sha256sum empties at once).
   * Only a retry that wrote nothing backs off, up to 50 ms, so a paused reader (`| less`)
   * costs no CPU. (Backing off on every retry made a 150 MB trace take 96 s through
   * `| sha256sum` against 2 s into a file: each 64 KiB waited up to 50 ms.)
   */
  const drained = async (): Promise<boolean> => {
    let waitMs = 0;
    while (out !== null) {
      const before = out.written;
      if (out.retry()) break;
      if (shouldStop()) return false;
      waitMs = out.written > before ? 0 : Math.min(Math.max(waitMs * 2, 1), 50);
      await (waitMs === 0 ? new Promise<void>((resolve) => setImmediate(resolve)) : pause(waitMs));
    }
    return !shouldStop();
  };
  // The engine lends each event's fields (RunOptions.onFields); an event object is built only
  // for the kinds an `expect` entry or the capture's annotations read, and the trace line is
  // written from the fields directly. Only the kinds something reads are built at all: with
  // no trace, the expectations' kinds and the annotated ones (none: no listener at all; the
  // invariant checker reads its own kinds).
  const traceOn = traceFd !== null;
  const eventKinds = new Set<string>(expectKinds);
  if (wantsCapture) for (const k of ANNOTATED_KINDS) eventKinds.add(k);
  // The fleet summary (sim/fleet) reads the events that change who is connected and counted
  // (fleet.wants: a small part of the trace), O(1) each, from the lent fields (addFields: no
  // event object); no trace is kept for it.
  const fleet = new FleetAggregator(resolved, { endMs: job.untilMs ?? resolved.durationMs, groups: job.groups, groupSeries: job.groupSeries });
  const onFields = (f: TraceFields, seq: number, nowUs: number): void => {
    if (fleet.wants(f as unknown as { kind: string })) fleet.addFields(f, nowUs / 1000);
    if (eventKinds.has(f.kind)) {
      const e = eventOfFields(f, seq, nowUs);
      if (expectKinds.has(e.kind)) selected.push(e);
      if (wantsCapture && ANNOTATED_KINDS.has(e.kind)) notes.push({ tUs: nowUs, text: annotationText(e) });
    }
    if (traceOn) {
      if (!job.traceEscape) {
        // Straight into the chunk as bytes (trace-bytes.ts: the same bytes as the line below).
        let end = fieldsToBytes(f, seq, nowUs, chunk, used, CHUNK_BYTES);
        if (end < 0 && used > 0) { flush(); end = fieldsToBytes(f, seq, nowUs, chunk, 0, CHUNK_BYTES); }
        if (end >= 0) { used = end; return; }
      }
      const line = fieldsToLine(f, seq, nowUs / 1000);
      addLine(job.traceEscape ? escapeTraceLine(line) : line);
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
    options.onFields = onFields;
    if (!traceOn) options.kinds = [...eventKinds, ...FLEET_KINDS] as Kind[];
    if (progress !== undefined) options.onProgress = progress;
    if (job.seed !== undefined) options.seed = job.seed;
    if (job.brokerProfile !== undefined) options.brokerProfile = job.brokerProfile;
    if (job.untilMs !== undefined) options.untilMs = job.untilMs;
    const run = startScenario(resolved, options);
    while (!run.advance(SLICE_EVENTS)) {
      // Let the event loop run: a signal's handler, a full pipe's wait.
      await new Promise<void>((resolve) => setImmediate(resolve));
      if (!(await drained())) return null;
    }
    result = run.finish();
    flush();
    if (!(await drained())) return null;
  } catch (err) {
    if (err instanceof ReaderGone) return { kind: 'reader-gone' };
    if (err instanceof TraceWriteError) return { kind: 'output', option: '--trace', reason: fsReason(err.failure) };
    if (isInvariantViolation(err)) return { kind: 'invariant', message: err.message };
    const failed: Outcome = { kind: 'other', message: err instanceof Error ? err.message : String(err) };
    if (err instanceof Error && err.stack !== undefined) failed.stack = err.stack;
    return failed;
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
