/**
 * The store's handle on the simulator. The app uses the Web Worker; tests pass their own
 * runner (for example one that calls the simulator synchronously, or returns a fixture).
 */
import type { Problem } from '../../sim/index.ts';
import type { ParseOutcome, RunOk, WorkerReply, WorkerRequest } from './protocol.ts';
import { createReplyAssembler } from './replyParts.ts';
import { APP_CAPACITY } from '../model/estimate.ts';
import type { ReplyPart } from './replyParts.ts';
import type { RunProgressReport } from '../fleet/runFleet.ts';

/** `cancelled`: the user stopped the run (SimRunner.cancel), nothing went wrong. */
export type RunOutcome = ({ ok: true } & RunOk) | { ok: false; message: string; problems: Problem[]; cancelled?: true };
export type CaptureOutcome = { ok: true; bytes: Uint8Array } | { ok: false; message: string };

export interface SimRunner {
  /** `onProgress`: called while a long run computes (about every 250 ms). */
  run(scenario: unknown, onProgress?: (p: RunProgressReport) => void): Promise<RunOutcome>;
  /**
   * Stops the runs under way (optional): each answers `{ ok: false, cancelled: true }`. The
   * worker computes a run in one synchronous call, so it is terminated and a fresh one started.
   */
  cancel?(): void;
  capture(scenario: unknown): Promise<CaptureOutcome>;
  /** Parses scenario text off the UI thread (optional: without it the store parses itself). */
  parse?(text: string | Blob): Promise<ParseOutcome>;
}

type Request = { type: 'run'; scenario: unknown } | { type: 'capture'; scenario: unknown } | { type: 'parse'; text: string | Blob };

/** A runner backed by app/worker/sim.worker.ts: the UI thread never runs the simulation. */
export function createWorkerRunner(): SimRunner {
  let nextId = 1;
  const pending = new Map<number, (reply: WorkerReply) => void>();
  const progress = new Map<number, (p: RunProgressReport) => void>();
  const assembler = createReplyAssembler();
  let worker: Worker;

  const start = (): void => {
    worker = new Worker(new URL('./sim.worker.ts', import.meta.url), { type: 'module' });
    worker.onmessage = (msg: MessageEvent<WorkerReply | ReplyPart>) => {
      const data = msg.data;
      if (data.type === 'part') { assembler.add(data); return; }
      if (data.type === 'progress') {
        const { events, tMs, durationMs, elapsedMs } = data;
        progress.get(data.id)?.({ events, tMs, durationMs, elapsedMs });
        return;
      }
      const reply = assembler.complete(data);
      const done = pending.get(reply.id);
      pending.delete(reply.id);
      progress.delete(reply.id);
      done?.(reply);
    };
    worker.onerror = (err) => {
      err.preventDefault();
      // A worker that died (out of memory, for example) answers nothing more: every waiting
      // request fails with words, and a fresh worker takes the next one.
      const message = `The simulation worker stopped${err.message ? ` (${err.message})` : ''}: the run was probably too large for the browser's memory. ${APP_CAPACITY}`;
      for (const [id, done] of pending) done({ id, type: 'run', ok: false, message, problems: [] });
      pending.clear();
      progress.clear();
      assembler.clear();
      worker.terminate();
      start();
    };
  };
  start();

  const ask = (req: Request, onProgress?: (p: RunProgressReport) => void): Promise<WorkerReply> => new Promise((resolve) => {
    const id = nextId++;
    pending.set(id, resolve);
    if (onProgress) progress.set(id, onProgress);
    worker.postMessage({ ...req, id } as WorkerRequest);
  });
  const CANCELLED = 'cancelled by the user';
  return {
    cancel() {
      if (pending.size === 0) return;
      worker.terminate();
      for (const [id, done] of pending) done({ id, type: 'run', ok: false, message: CANCELLED, problems: [] });
      pending.clear();
      progress.clear();
      assembler.clear();
      start();
    },
    async run(scenario, onProgress) {
      const r = await ask({ type: 'run', scenario }, onProgress);
      if (r.type === 'run' && r.ok) {
        const { trace, ndjson, summary, expectations, resolved, derived, stepEnds, elapsedMs, fleet } = r;
        return {
          ok: true, trace, ndjson, summary, expectations, resolved, elapsedMs,
          ...(derived ? { derived } : {}), ...(stepEnds ? { stepEnds } : {}), ...(fleet ? { fleet } : {}),
        };
      }
      if ('message' in r) return { ok: false, message: r.message, problems: r.problems, ...(r.message === CANCELLED ? { cancelled: true as const } : {}) };
      return { ok: false, message: 'The simulation worker gave an unexpected reply.', problems: [] };
    },
    async capture(scenario) {
      const r = await ask({ type: 'capture', scenario });
      if (r.type === 'capture' && r.ok) return { ok: true, bytes: r.bytes };
      if ('message' in r) return { ok: false, message: r.message };
      return { ok: false, message: 'The simulation worker gave an unexpected reply.' };
    },
    async parse(text) {
      const r = await ask({ type: 'parse', text });
      if (r.type === 'parse') return r.outcome;
      if ('message' in r) return { ok: false, problems: [], tooLarge: r.message };
      return { ok: false, problems: [{ path: '(root)', message: 'the file could not be read' }] };
    },
  };
}
