/**
 * The store's handle on the simulator. The app uses the Web Worker; tests pass their own
 * runner (for example one that calls the simulator synchronously, or returns a fixture).
 */
import type { Problem } from '../../sim/index.ts';
import type { RunOk, WorkerReply, WorkerRequest } from './protocol.ts';
import { createReplyAssembler } from './replyParts.ts';
import type { ReplyPart } from './replyParts.ts';

export type RunOutcome = ({ ok: true } & RunOk) | { ok: false; message: string; problems: Problem[] };
export type CaptureOutcome = { ok: true; bytes: Uint8Array } | { ok: false; message: string };

export interface SimRunner {
  run(scenario: unknown): Promise<RunOutcome>;
  capture(scenario: unknown): Promise<CaptureOutcome>;
}

/** A runner backed by app/worker/sim.worker.ts: the UI thread never runs the simulation. */
export function createWorkerRunner(): SimRunner {
  const worker = new Worker(new URL('./sim.worker.ts', import.meta.url), { type: 'module' });
  let nextId = 1;
  const pending = new Map<number, (reply: WorkerReply) => void>();
  const assembler = createReplyAssembler();
  worker.onmessage = (msg: MessageEvent<WorkerReply | ReplyPart>) => {
    const data = msg.data;
    if (data.type === 'part') { assembler.add(data); return; }
    const reply = assembler.complete(data);
    const done = pending.get(reply.id);
    pending.delete(reply.id);
    done?.(reply);
  };
  worker.onerror = (err) => {
    const message = `The simulation worker failed: ${err.message || 'unknown error'}`;
    for (const done of pending.values()) done({ id: 0, type: 'run', ok: false, message, problems: [] });
    pending.clear();
    assembler.clear();
  };
  const ask = (req: Omit<WorkerRequest, 'id'>): Promise<WorkerReply> => new Promise((resolve) => {
    const id = nextId++;
    pending.set(id, resolve);
    worker.postMessage({ ...req, id });
  });
  return {
    async run(scenario) {
      const r = await ask({ type: 'run', scenario });
      if (!r.ok) return { ok: false, message: r.message, problems: r.problems };
      if (r.type !== 'run') return { ok: false, message: 'unexpected reply', problems: [] };
      const { trace, ndjson, summary, expectations, derived, elapsedMs } = r;
      return { ok: true, trace, ndjson, summary, expectations, elapsedMs, ...(derived ? { derived } : {}) };
    },
    async capture(scenario) {
      const r = await ask({ type: 'capture', scenario });
      if (!r.ok) return { ok: false, message: r.message };
      if (r.type !== 'capture') return { ok: false, message: 'unexpected reply' };
      return { ok: true, bytes: r.bytes };
    },
  };
}
