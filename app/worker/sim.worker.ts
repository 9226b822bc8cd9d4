/// <reference lib="webworker" />
/**
 * The simulation worker: runs scenarios off the UI thread, so a long run never freezes
 * playback, panning or typing. One request at a time, answered in order. A run's reply also
 * carries the timeline layout built from it (app/view-model/derive.ts), and comes in slices (replyParts.ts)
 * so that no single message takes the UI thread long to receive.
 */
import { capture, parseText, simulate } from './simulate.ts';
import { splitRun } from './replyParts.ts';
import type { ParseOutcome, WorkerReply, WorkerRequest } from './protocol.ts';

const scope = self as unknown as DedicatedWorkerGlobalScope;

scope.onmessage = (msg: MessageEvent<WorkerRequest>) => {
  const req = msg.data;
  let reply: WorkerReply;
  if (req.type === 'parse') {
    // A file arrives as a Blob (a reference, not a copy): reading it is done here too.
    const { id, text } = req;
    void (typeof text === 'string' ? Promise.resolve(text) : text.text()).then(
      (t): ParseOutcome => parseText(t),
      (): ParseOutcome => ({ ok: false, problems: [{ path: '(root)', message: 'the file could not be read' }] }),
    ).then((outcome) => scope.postMessage({ id, type: 'parse', ok: outcome.ok, outcome } satisfies WorkerReply));
    return;
  }
  if (req.type === 'run') {
    // Progress of a long run (a fleet of 100,000 devices takes minutes): RunProgress.tsx.
    const r = simulate(req.scenario, () => performance.now(),
      (p) => scope.postMessage({ id: req.id, type: 'progress', ...p } satisfies WorkerReply));
    if (r.ok) {
      const { ok: _ok, ...run } = r;
      for (const { message, transfer } of splitRun(req.id, run)) scope.postMessage(message, transfer);
      return;
    }
    reply = { id: req.id, type: 'run', ...r };
    scope.postMessage(reply);
  } else {
    const r = capture(req.scenario);
    reply = r.ok
      ? { id: req.id, type: 'capture', ok: true, bytes: r.bytes }
      : { id: req.id, type: 'capture', ok: false, message: r.message, problems: [] };
    scope.postMessage(reply, r.ok ? [r.bytes.buffer] : []);
  }
};
