/**
 * The worker thread of `halfopen run`: runs `simulate` (synchronous, possibly for minutes)
 * away from the main thread, which stays free to handle Ctrl-C / SIGTERM (it terminates this
 * thread and removes the temporary outputs). Reports progress and the outcome as messages.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { simulate } from './simulate.ts';
import type { Job } from './simulate.ts';

const port = parentPort;
if (port === null) throw new Error('sim-worker.ts runs only as a worker thread');
const outcome = await simulate(workerData as Job, (tMs, events) => port.postMessage({ type: 'progress', tMs, events }));
port.postMessage({ type: 'outcome', outcome });
