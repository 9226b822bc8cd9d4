/**
 * How fast could a keep-alive exchange be at best? An idealised, hand-fused model of exactly
 * the work the simulator's exchange must do, on the simulator's own queue, with nothing general
 * left: no trace checks, no TCP state machine, no MQTT decoder, no invariants, no profiles.
 *
 * Per ping (4 events, as in the simulator): the client's keep-alive tick sends PINGREQ (sequence
 * number, RTO armed, give-up timer moved, arrival posted); the broker's arrival checks the
 * sequence, moves the keep-alive deadline, sends PINGRESP (RTO armed, arrival posted); the
 * client's arrival takes an RTT sample (RFC 6298), clears its RTO, ACKs at once and moves its
 * next ping; the broker's ACK arrival takes its RTT sample and clears its RTO.
 *
 * Usage: npx tsx test/bench/ideal-exchange.ts [N=10000] [runs=5]. Prints the median wall time
 * next to the engine floor (same queue, empty handlers). It is an argument, not a simulator:
 * it bounds from below what any faithful implementation on this engine can reach.
 *
 * It runs twice: with its few dozen bytes per client packed together ("compact"), and "spread",
 * with each end's state as far from the other end's and from the next client's as in a real
 * simulator, where a client's TCP socket, its library state, the broker's connection and
 * session and their timers are separate objects of ~8 KB per client in all (heap snapshots of
 * the bench half-way through the hour: 24.3 MB at 1,000 clients, 48.2 MB at 4,000). The spread run shows what memory
 * locality alone costs once per-client state is real: every event then touches state that is
 * no longer in the CPU's caches.
 */
import { EventQueue } from '../../sim/engine/queue.ts';
import { drainQueue, engineFloor } from './bare-loop.ts';
import { HOUR_MS, KEEPALIVE_S, stagger } from './scenario.ts';

/** Per-client state of a real run beyond the fixed part, split between the two ends. */
export const SPREAD_BYTES = 8_000;

interface End { sndUna: number; sndNxt: number; rcvNxt: number; srtt: number; rttvar: number; rto: number; rtoId: number; sentAt: number }
interface Pair { c: End; b: End; kaId: number; brokerKaId: number }

const LAT = 20_000;
const end = (): End => ({ sndUna: 1000, sndNxt: 1000, rcvNxt: 5000, srtt: -1, rttvar: 0, rto: 1_000_000, rtoId: -1, sentAt: 0 });

function sample(e: End, r: number): void {
  if (e.srtt < 0) { e.srtt = r; e.rttvar = r >> 1; } else {
    const err = e.srtt > r ? e.srtt - r : r - e.srtt;
    e.rttvar = Math.floor((3 * e.rttvar + err) / 4);
    e.srtt = Math.floor((7 * e.srtt + r) / 8);
  }
  const v = 4 * e.rttvar;
  e.rto = e.srtt + (v > 200_000 ? v : 200_000);
}

/** Bytes kept between one client's and the broker's end state (0 = compact). */
export function idealExchange(n: number, spreadBytes = 0): number {
  // Plain arrays (8 bytes per element) live in the JS heap next to the state, as a real
  // run's objects do; a typed array's bytes would sit outside it and spread nothing.
  const filler: number[][] = [];
  const pad = (): void => { if (spreadBytes > 0) filler.push(new Array<number>(spreadBytes >> 4).fill(0)); };
  const q = new EventQueue();
  const until = HOUR_MS * 1000;
  const K = KEEPALIVE_S * 1_000_000;
  let now = 0;
  const noop = (): void => {};
  const armRto = (e: End): void => {
    if (e.rtoId >= 0) q.update(e.rtoId, now + e.rto); else e.rtoId = q.push(now + e.rto, noop, e);
  };
  const clearRto = (e: End): void => { if (e.rtoId >= 0) { q.remove(e.rtoId); e.rtoId = -1; } };
  const ackArrives = (arg: unknown): void => { // 4: broker gets the client's ACK
    const p = arg as Pair; const b = p.b;
    if (p.c.rcvNxt > b.sndUna) { b.sndUna = p.c.rcvNxt; sample(b, now - b.sentAt); clearRto(b); }
  };
  const pingrespArrives = (arg: unknown): void => { // 3: client gets PINGRESP, ACKs at once
    const p = arg as Pair; const c = p.c;
    if (p.b.rcvNxt > c.sndUna) { c.sndUna = p.b.rcvNxt; sample(c, now - c.sentAt); clearRto(c); }
    c.rcvNxt += 2;
    q.push(now + LAT, ackArrives, p);
    q.update(p.kaId, now + K); // MQTT.js reschedules its ping on PINGRESP
  };
  const pingreqArrives = (arg: unknown): void => { // 2: broker gets PINGREQ, answers
    const p = arg as Pair; const b = p.b;
    b.rcvNxt += 2;
    if (p.brokerKaId >= 0) q.update(p.brokerKaId, now + 1.5 * K); else p.brokerKaId = q.push(now + 1.5 * K, noop, p);
    b.sentAt = now; b.sndNxt += 2; armRto(b);
    q.push(now + LAT, pingrespArrives, p);
  };
  const tick = (arg: unknown): void => { // 1: the client's keep-alive timer sends PINGREQ
    const p = arg as Pair; const c = p.c;
    c.sentAt = now; c.sndNxt += 2; armRto(c);
    p.kaId = q.push(now + 1.5 * K, tick, p); // give-up timer until PINGRESP moves it
    q.push(now + LAT, pingreqArrives, p);
  };
  const at = stagger(n);
  for (let i = 0; i < n; i++) {
    const c = end(); pad();
    const b = end(); pad();
    const p: Pair = { c, b, kaId: -1, brokerKaId: -1 };
    p.kaId = q.push((at[i] as number) * 1000, tick, p);
  }
  const events = drainQueue(q, until, (t) => { now = t; }, noop);
  if (filler.length < 0) throw new Error('unreachable'); // keeps the filler alive through the run
  return events;
}

if (process.argv[1]?.endsWith('ideal-exchange.ts')) {
  const n = Number(process.argv[2] ?? 10000);
  const runs = Number(process.argv[3] ?? 5);
  const ideal: number[] = []; const spread: number[] = []; const floor: number[] = []; let ev = 0;
  for (let r = 0; r < runs; r++) {
    let t = performance.now(); engineFloor(n); floor.push((performance.now() - t) / 1000);
    t = performance.now(); ev = idealExchange(n); ideal.push((performance.now() - t) / 1000);
    t = performance.now(); idealExchange(n, SPREAD_BYTES); spread.push((performance.now() - t) / 1000);
  }
  const med = (xs: number[]) => [...xs].sort((a, b) => a - b)[xs.length >> 1]!;
  console.log(JSON.stringify({ n, events: ev, idealSeconds: +med(ideal).toFixed(3), idealSpreadSeconds: +med(spread).toFixed(3), floorSeconds: +med(floor).toFixed(3) }));
}
