/**
 * The broker's single thread (mosquitto is one event loop; so is aedes' Node process): packets
 * are handled one at a time, each keeping the thread busy for its cost after it was handled
 * (profiles/broker-capacity.ts says why after), and nothing is handled while the process is
 * stopped (`pause`, SIGSTOP) until `resume` (SIGCONT). The listener's accept() runs only when
 * the thread is free, so established connections wait in the kernel's accept queue meanwhile
 * (tcp/listen-queue.ts).
 *
 * While stopped, the kernel goes on (it acknowledges data, receives FIN and RST) but the
 * broker sees none of it: packets and closed connections wait, in the order they came
 * (broker.ts), and so do the broker's own timers that come due (`overdue`). On `resume` the
 * thread first runs what its loop does at once (`onResume`: mosquitto's keep-alive scan,
 * connection.ts keepAliveScanAtResume), then the overdue timers, then reads what waited in its
 * sockets, then accepts.
 * Timers first because the poll a stopped process sat in returns EINTR after SIGCONT with no
 * socket handled (signal(7): epoll_wait fails with EINTR after a stop signal and SIGCONT, even
 * without a handler). mosquitto 2.0.11: src/mux_epoll.c mux_epoll__handle gets -1/EINTR from
 * epoll_wait, sets db.now_s and returns; src/loop.c mosquitto_main_loop runs will_delay__check
 * and session_expiry__check, then keepalive__check at the top of the next turn (src/keepalive.c:
 * now_s - last_msg_in > 1.5 K, with last_msg_in the last packet *read*), and only then polls and
 * reads. So a client whose packets waited unread in the socket is dropped for keep-alive at
 * resume all the same, and its socket, closed with that data unread, sends RST (measured:
 * test/kernel/experiments/broker-pause-mosquitto.json). aedes (Node): libuv's uv__io_poll
 * treats EINTR as a poll whose time is up when the next timer is overdue, and the timers phase
 * runs before the next poll.
 *
 * With a cost of 0 and no pause, every packet is handled when it arrives, as before: no event
 * is added to the queue and no trace changes.
 */
import type { Engine, Timer } from '../../engine/types.ts';
import type { Listening } from '../../net/api.ts';

interface Work { costUs: number; run: () => void }

/**
 * What waits for the thread, first in first out. Not an array's shift(): V8 copies the rest of
 * a long array on each one, and a reconnect storm queues thousands of CONNECTs (it was 9 % of
 * the 10,000-device storm's run).
 */
export class WorkQueue {
  private items: (Work | undefined)[] = [];
  private head = 0;

  get length(): number { return this.items.length - this.head; }

  push(w: Work): void { this.items.push(w); }

  shift(): Work | undefined {
    if (this.head === this.items.length) return undefined;
    const w = this.items[this.head];
    this.items[this.head++] = undefined;
    if (this.head === this.items.length) { this.items.length = 0; this.head = 0; }
    else if (this.head >= 4096 && this.head * 2 >= this.items.length) { this.items = this.items.slice(this.head); this.head = 0; }
    return w;
  }

  /** `first` go before what waits, in their order. */
  putFirst(first: Work[]): void {
    if (first.length === 0) return;
    this.items = [...first, ...this.items.slice(this.head)];
    this.head = 0;
  }
}

export interface Processor {
  readonly engine: Engine;
  paused: boolean;
  /** The thread is busy until this instant (µs). */
  busyUntil: number;
  readonly waiting: WorkQueue;
  /** Broker timers that came due while the process was stopped: run on resume before `waiting`. */
  readonly overdue: Work[];
  wake: Timer | null;
  /** The listener, to accept what waited once the thread is free. */
  listening: Listening | null;
  /** When the process was last stopped (µs; null: never). */
  pausedAtUs: number | null;
  /** What the broker's loop does first on resume, before the overdue timers (connection.ts). */
  onResume: ((pausedAtUs: number) => void) | null;
}

export function createProcessor(engine: Engine): Processor {
  return {
    engine, paused: false, busyUntil: 0, waiting: new WorkQueue(), overdue: [], wake: null, listening: null, pausedAtUs: null,
    onResume: null,
  };
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

/**
 * A broker timer came due: run it now, or when a stopped process continues (before it reads
 * what waited in its sockets). `run` must check that it is still due then.
 */
export function whenRunning(p: Processor, run: () => void): void {
  if (!p.paused) run();
  else p.overdue.push({ costUs: 0, run });
}

export function pauseProcessor(p: Processor): void {
  if (!p.paused) p.pausedAtUs = p.engine.now();
  p.paused = true;
  p.wake?.clear();
}

export function resumeProcessor(p: Processor): void {
  if (!p.paused) return;
  p.paused = false;
  p.onResume?.(p.pausedAtUs!);
  // The overdue timers first, then the sockets (see the top of this file).
  p.waiting.putFirst(p.overdue.splice(0));
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
