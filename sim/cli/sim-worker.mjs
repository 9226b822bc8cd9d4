// Entry of the worker thread that runs a simulation for `halfopen run` (run-command.ts):
// registers tsx in this thread too (loader hooks are per thread in Node 20), then runs it.
import { register } from 'tsx/esm/api';
register();
await import('./sim-worker.ts');
