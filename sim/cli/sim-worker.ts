/**
 * The worker thread of `halfopen run`: runs `simulate` (synchronous, possibly for minutes)
 * away from the main thread, which stays free to handle Ctrl-C / SIGTERM (it terminates this
 * thread and removes the temporary outputs). It starts before the main thread has read the
 * scenario, loads the simulator, then waits for its one job (a message); reports progress and
 * the outcome as messages, then ends.
 */
import { parentPort } from 'node:worker_threads';
import { simulate } from './simulate.ts';
import type { Job } from './simulate.ts';
import '../run.ts'; // loaded now, while the main thread reads the scenario

const port = parentPort;
if (port === null) throw new Error('sim-worker.ts runs only as a worker thread');
port.once('message', (job: Job) => {
  void simulate(job, (tMs, events) => port.postMessage({ type: 'progress', tMs, events })).then((outcome) => {
    port.postMessage({ type: 'outcome', outcome });
    port.close();
  });
});
