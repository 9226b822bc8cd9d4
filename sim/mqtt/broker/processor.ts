/**
 * The broker's single thread (mosquitto is one event loop; so is aedes' Node process): packets
 * are handled one at a time, each keeping the thread busy for its cost after it was handled
 * (profiles/broker-capacity.ts says why after), and nothing is handled while the process is
 * stopped (`pause`, SIGSTOP) until `resume` (SIGCONT). The listener's accept() runs only when
 * the thread is free, so established connections wait in the kernel's accept queue meanwhile
 * (tcp/listen-queue.ts), and the broker's own timers that come due while it is stopped run
 * when it continues, as an event loop would find them overdue.
 *
 * A connection closing is handled at once, even while the thread is busy or stopped (broker.ts:
 * the simulator keeps no state for a closed connection), so a Will of a client that died while
 * the broker was stopped goes out at once instead of after `resume`.
 *
 * With a cost of 0 and no pause, every packet is handled when it arrives, as before: no event
 * is added to the queue and no trace changes.
 */
import type { Engine, Timer } from '../../engine/types.ts';
import type { Listening } from '../../net/api.ts';

interface Work { costUs: number; run: () => void }

export interface Processor {
  readonly engine: Engine;
  paused: boolean;
  /** The thread is busy until this instant (µs). */
  busyUntil: number;
  readonly waiting: Work[];
  wake: Timer | null;
  /** The listener, to accept what waited once the thread is free. */
  listening: Listening | null;
}

export function createProcessor(engine: Engine): Processor {
  return { engine, paused: false, busyUntil: 0, waiting: [], wake: null, listening: null };
}

/** Whether the thread would take new work now. */
export function processorFree(p: Processor): boolean {
  return !p.paused && p.waiting.length === 0 && p.engine.now() >= p.busyUntil;
}

/** The listener's accept gate: free now, or a wake-up is armed for when it will be. */
export function readyToAccept(p: Processor): boolean {
  if (processorFree(p)) return true;
  armWake(p);
  return false;
}

/** The thread handled something costing `costUs`: it is busy that long from now. */
export function charge(p: Processor, costUs: number): void {
  if (costUs > 0) p.busyUntil = p.engine.now() + costUs;
}

/** Handle `run` now if the thread is free, else after what waits; then the thread is busy for `costUs`. */
export function onThread(p: Processor, costUs: number, run: () => void): void {
  if (processorFree(p)) {
    run();
    charge(p, costUs);
    return;
  }
  p.waiting.push({ costUs, run });
  armWake(p);
}

/** A broker timer came due: run it now, or when a stopped process continues. */
export function whenRunning(p: Processor, run: () => void): void {
  if (!p.paused) run();
  else p.waiting.push({ costUs: 0, run });
}

export function pauseProcessor(p: Processor): void {
  p.paused = true;
  p.wake?.clear();
}

export function resumeProcessor(p: Processor): void {
  if (!p.paused) return;
  p.paused = false;
  drain(p);
}

function armWake(p: Processor): void {
  if (p.paused) return;
  const w = p.wake ?? (p.wake = p.engine.timer(() => drain(p)));
  if (w.due === null) w.set(p.busyUntil > p.engine.now() ? p.busyUntil : p.engine.now());
}

/** Run what waited, in order, while the thread is free; accept queued connections once it is idle. */
function drain(p: Processor): void {
  const eng = p.engine;
  while (!p.paused) {
    if (eng.now() < p.busyUntil) { armWake(p); return; }
    const w = p.waiting.shift();
    if (w === undefined) break;
    w.run();
    if (w.costUs > 0) p.busyUntil = eng.now() + w.costUs;
  }
  if (processorFree(p)) p.listening?.acceptPending();
}
