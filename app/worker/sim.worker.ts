/// <reference lib="webworker" />
/**
 * The simulation worker: runs scenarios off the UI thread, so a long run never freezes
 * playback, panning or typing. One request at a time, answered in order.
 */
import { capture, simulate } from './simulate.ts';
import type { WorkerReply, WorkerRequest } from './protocol.ts';

const scope = self as unknown as DedicatedWorkerGlobalScope;

scope.onmessage = (msg: MessageEvent<WorkerRequest>) => {
  const req = msg.data;
  let reply: WorkerReply;
  if (req.type === 'run') {
    const r = simulate(req.scenario, () => performance.now());
    reply = r.ok ? { id: req.id, type: 'run', ...r } : { id: req.id, type: 'run', ...r };
    scope.postMessage(reply);
  } else {
    const r = capture(req.scenario);
    reply = r.ok
      ? { id: req.id, type: 'capture', ok: true, bytes: r.bytes }
      : { id: req.id, type: 'capture', ok: false, message: r.message, problems: [] };
    scope.postMessage(reply, r.ok ? [r.bytes.buffer] : []);
  }
};
