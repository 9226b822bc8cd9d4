/**
 * THE tolerance table: one entry per kind of quantity, with why. Every compared quantity names
 * one of these (experiments/*.compare.json); README.md prints this table.
 *
 * A numeric quantity agrees when |real − simulated| ≤ max(absMs, rel · |real|); `late` (kernel
 * timers) when simulated − absMs ≤ real ≤ simulated · (1 + rel) + absMs; `window`
 * agrees when both values lie inside the quantity's own [lo, hi]; `exact` needs equality
 * (counts, flags, who sent what, booleans); `proportion` (fractions under random loss) when a
 * two-proportion z-test does not reject equality at the stated level. A value missing on one side
 * never agrees; missing on both sides agrees (the thing did not happen in either world).
 */
export type ToleranceName =
  | 'tcp-retx' | 'tcp-syn' | 'tcp-giveup' | 'rtt' | 'same-instant' | 'mqttjs-timer' | 'aedes-timer'
  | 'mosquitto-scan' | 'mosquitto-whole-second' | 'reconnect' | 'paho-loop' | 'process-exit' | 'exact'
  | 'loss-proportion' | 'tcp-user-timeout' | 'broker-drain' | 'mosquitto-signal' | 'will-after-resume';

export interface Tolerance {
  kind: 'abs' | 'late' | 'window' | 'exact' | 'proportion' | 'ratio';
  /** 'proportion' only: the largest |z| of the two-proportion z-test that still agrees. */
  zMax?: number;
  absMs?: number;
  /** 'abs' only: how late the real value may be when that differs from absMs (user-space timers fire late under load, never early). */
  lateMs?: number;
  rel?: number;
  /** 'ratio' only: real and sim agree when each is within this factor of the other. */
  factor?: number;
  why: string;
}

export const TOLERANCES: Record<ToleranceName, Tolerance> = {
  'tcp-retx': {
    kind: 'late', absMs: 5, rel: 0.125,
    why: "TCP's retransmit/probe timer is a timer-wheel timer (kernel/time/timer.c): it never fires early and fires at the end of a bucket whose width is at most 1/8 of the timeout (8 ms below 512 ms, 64 ms below 4.1 s, 512 ms below 32 s at HZ=1000), so each step is up to 12.5% late; the RTO floor is 200 ms + SRTT in jiffies. Measured: +3.5% on the 0.2 s steps, +2 … +5% on 3-7 s",
  },
  'tcp-syn': {
    kind: 'late', absMs: 10, rel: 0.125,
    why: 'SYN retransmissions use the same timer wheel (1 s steps land in 64 ms buckets, 4-8 s steps in 512 ms buckets): never early, up to 12.5% late; measured +10 … +30 ms on each 1 s step, +4% on the 4 s step',
  },
  'tcp-giveup': {
    kind: 'late', absMs: 100, rel: 0.125,
    why: 'the kernel gives up at the first RTO expiry after the tcp_retries2 budget, a timer-wheel timer like every RTO before it (never early, up to 1/8 late: the last ~6.6 s step alone can land 0.8 s late); mosquitto notices at its next poll. Measured 13.39-13.89 s for a 13.1 s budget',
  },
  rtt: {
    kind: 'abs', absMs: 1,
    why: 'veth through a bridge answers in 0.02-0.2 ms; anything within a millisecond is the same link as far as MQTT timers care',
  },
  'same-instant': {
    kind: 'abs', absMs: 30,
    why: 'two events caused by the same segment (a FIN and the Will it triggers, a takeover and its FIN, the CONNACK to a rebooted device\'s CONNECT): a few ms of processing and a wake-up of another process (watcher, client) on a busy 2-core machine; brokers run one real-time level above clients (processes.ts BROKER_RT_PRIORITY), or a client\'s busy Node process kept mosquitto off the CPU for 44-86 ms',
  },
  'will-after-resume': {
    kind: 'abs', absMs: 5, lateMs: 60,
    why: "a Will the broker publishes when SIGCONT wakes it, timed when the watcher (an MQTT.js process on the broker's host) reads it: the broker's catch-up (mosquitto 3-5 ms, aedes 9-12 ms: its event loop runs the overdue timers and the closes first), then the watcher's wake-up, which SIGCONT makes coincide with the wake-up of every client the broker answers at that instant, all at one real-time level on 2 cores. Measured on the first run of three of six full CI suites on 2026-12-07: 30.1-37.9 ms (both brokers, never beyond), 3-12 ms on each rerun, and 19-26 ms for both in a run of this wave alone with the simulator beside it; a broker that waited for its next keep-alive scan or whole second (≥ 100 ms) still fails",
  },
  'process-exit': {
    kind: 'abs', absMs: 250,
    why: 'SIGKILL to a Node process: its sockets are closed (FIN) only when the kernel has torn the process down (every thread exited, the heap unmapped); measured 7-21 ms on a quiet machine and up to 205 ms with the machine loaded (load average 15 on 2 cores)',
  },
  'mqttjs-timer': {
    kind: 'abs', absMs: 80, lateMs: 250,
    why: "MQTT.js 5.16's keep-alive runs on setTimeout ticks of ceil(K/2) s re-armed on each tick; Node timers never fire early but late by the event loop's load (measured 1-40 ms with several experiments running, 209 ms once with Chromium profiling beside the suite), so up to 80 ms early (the CONNACK reference is the wire, not the client's read) and 250 ms late, as process-exit",
  },
  'aedes-timer': {
    kind: 'abs', absMs: 80,
    why: 'aedes arms setTimeout(1.5 K + 1 ms) in its own Node process when it reads a packet; the Will is published after the close, both in that event loop',
  },
  'mosquitto-scan': {
    kind: 'window',
    why: "mosquitto 2.0.11 checks keep-alive in a scan about every 5 s on whole-second time (`now − last_msg_in > 1.5 K`), so expiry lands anywhere from 1.5 K to about 1.5 K + 7 s after the last packet in; both worlds must fall inside that window (behaviour.md §10.2)",
  },
  'mosquitto-whole-second': {
    kind: 'abs', absMs: 1100,
    why: "mosquitto's Will Delay runs on its whole-second clock: the Will goes out at the first second boundary after close + delay",
  },
  'paho-loop': {
    kind: 'abs', absMs: 1100,
    why: "Paho Python checks keep-alive from its network loop, which wakes on traffic or after its 1 s select timeout (loop_forever's default), so its PINGREQ and its give-up land up to 1 s after the deadline, at a phase set by when the loop started",
  },
  reconnect: {
    kind: 'abs', absMs: 150,
    why: 'an MQTT.js reconnect: its reconnect timer, then a new TCP handshake and CONNECT, in a freshly started or busy process',
  },
  'tcp-user-timeout': {
    kind: 'abs', absMs: 5, lateMs: 80,
    why: 'TCP_USER_TIMEOUT: tcp_clamp_rto_to_user_timeout arms the last retransmission timer for exactly what is left of the user timeout, counted from when the timer before it actually fired, so earlier timer-wheel lateness does not add up; that last timer (at most a few s) lands in a bucket of at most 64 ms (HZ=1000, timeouts below 4.1 s), never early; then Paho wakes from select() on the socket error (1-2 ms). So real in [sim − 5 ms, sim + 80 ms]: counting the user timeout from the original send (400 ms earlier) or from the loss probe (200 ms) instead of the first RTO retransmission fails. Measured +25 ms',
  },
  'loss-proportion': {
    kind: 'proportion', zMax: 3.29,
    why: 'random loss draws differ between the worlds (nft numgen in the kernel, the seeded PRNG in the simulator), so a fraction such as "PUBLISHes resent at least once" is compared with a two-proportion z-test (pooled variance): it agrees when |z| ≤ 3.29, i.e. two-sided α = 0.001, so a correct model fails one such comparison in 1000 runs; the simulated side is pooled over many seeds, which makes it nearly the model\'s exact probability. With ~130 real trials at p ≈ 0.44 this still tells 0.44 from 0.25 (a model in which only the data segment, not its ACK, can be lost): z ≈ 4.3',
  },
  'broker-drain': {
    kind: 'ratio', factor: 5,
    why: "a broker draining its accept queue: the spread of the CONNACKs it sends for connections that waited is its processing time per connection (mosquitto's single thread: accept, read, CONNECT, CONNACK), tens of µs each, which varies with the machine and its load by a factor of several: measured 0.1, 0.19, 0.21 and 0.5 ms for the same five connections on these machines (the 0.1 ms run failed the earlier ±max(0.05 ms, 60% of real) in CI). So the claim checked is the order of magnitude: real within a factor of 5 of the simulated spread, either way; that still fails a broker with no processing time (sim 0 against any real spread) and one ten times too slow",
  },
  'mosquitto-signal': {
    kind: 'abs', absMs: 5, lateMs: 130,
    why: 'mosquitto 2.0.11 blocks SIGINT/SIGTERM while it waits in epoll_wait (src/mux_epoll.c mux_epoll__handle: sigprocmask(my_sigblock), epoll_wait(…, 100), then the old mask), so its SIGTERM handler runs when the poll returns: at the next socket event or after its 100 ms timeout, whose phase is unknowable; the simulator acts at the signal. Measured +66 … +67 ms (Will and FIN after SIGTERM), plus the load\'s lateness',
  },
  exact: {
    kind: 'exact',
    why: 'counts, flags and who sent a FIN or RST are facts of the wire: no tolerance',
  },
};

export type Value = number | string | boolean | null;

export function agrees(tol: ToleranceName, real: Value, sim: Value, window?: [number, number]): boolean {
  if (real === null || sim === null) return real === null && sim === null;
  const t = TOLERANCES[tol];
  if (t.kind === 'exact' || typeof real !== 'number' || typeof sim !== 'number') return real === sim;
  if (t.kind === 'proportion') throw new Error(`tolerance ${tol} compares samples: use agreesStat`);
  if (t.kind === 'late') {
    return real >= sim - (t.absMs ?? 0) && real <= sim * (1 + (t.rel ?? 0)) + (t.absMs ?? 0);
  }
  if (t.kind === 'ratio') {
    const f = t.factor ?? 1;
    if (real === 0 || sim === 0) return real === sim;
    return real > 0 && sim > 0 && real <= sim * f && sim <= real * f;
  }
  if (t.kind === 'window') {
    if (!window) throw new Error(`tolerance ${tol} needs a window`);
    return real >= window[0] && real <= window[1] && sim >= window[0] && sim <= window[1];
  }
  if (t.lateMs !== undefined) return real - sim >= -(t.absMs ?? 0) && real - sim <= t.lateMs;
  return Math.abs(real - sim) <= Math.max(t.absMs ?? 0, (t.rel ?? 0) * Math.abs(real));
}

/** Two-proportion z statistic (pooled variance); 0 when both are the same certainty. */
export function zTwoProportions(x1: number, n1: number, x2: number, n2: number): number {
  const p = (x1 + x2) / (n1 + n2);
  const se = Math.sqrt(p * (1 - p) * (1 / n1 + 1 / n2));
  const d = x1 / n1 - x2 / n2;
  return se === 0 ? (d === 0 ? 0 : Infinity) : d / se;
}

/** Statistical quantities: a fraction by its z-test, a median by its tolerance like any value. */
export function agreesStat(tol: ToleranceName, real: { value: number | null; n: number; hits?: number }, sim: { value: number | null; n: number; hits?: number }, window?: [number, number]): boolean {
  const t = TOLERANCES[tol];
  if (t.kind !== 'proportion') return agrees(tol, real.value, sim.value, window);
  if (real.n === 0 || sim.n === 0 || real.hits === undefined || sim.hits === undefined) return real.n === 0 && sim.n === 0;
  return Math.abs(zTwoProportions(real.hits, real.n, sim.hits, sim.n)) <= (t.zMax ?? 0);
}

export function describeTolerance(tol: ToleranceName, window?: [number, number]): string {
  const t = TOLERANCES[tol];
  if (t.kind === 'exact') return 'exact';
  if (t.kind === 'proportion') return `two-proportion z-test, |z| ≤ ${t.zMax} (α = 0.001)`;
  if (t.kind === 'ratio') return `real in [sim ÷ ${t.factor}, sim × ${t.factor}]`;
  if (t.kind === 'window') return `both in [${window?.[0]}, ${window?.[1]}] ms`;
  if (t.kind === 'late') return `real in [sim − ${t.absMs} ms, sim + ${(t.rel ?? 0) * 100}% + ${t.absMs} ms]`;
  if (t.lateMs !== undefined) return `real in [sim − ${t.absMs} ms, sim + ${t.lateMs} ms]`;
  return t.rel ? `±max(${t.absMs} ms, ${t.rel * 100}%)` : `±${t.absMs} ms`;
}
