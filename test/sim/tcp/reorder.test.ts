/**
 * Jitter reorders segments (sim/tcp/receive.ts): the receiver holds out-of-order data and,
 * when a segment fills the gap, sends ONE cumulative ACK for everything it unlocks before the
 * app reads — Linux tcp_data_queue + tcp_ofo_queue (ICSK_ACK_NOW), RFC 5681 §4.2.
 */
import { describe, expect, it } from 'vitest';
import type { TraceEvent } from '../../../sim/trace/types.ts';
import { makeWorld, PORT } from './world.ts';

type Send = Extract<TraceEvent, { kind: 'seg.send' }>;

/** A sensor sends eight 1-byte writes at once over a jittery link to an echo (or silent) server. */
function reorderWorld(seed: number, echo = true) {
  const w = makeWorld({ seed, link: { latencyMs: 10, jitterMs: 30 } });
  const got: number[] = [];
  w.net.host('broker').listen(PORT, (s) => {
    s.setHandlers({
      onOpen() {},
      onData(b) { got.push(...b); if (echo) s.write(b); }, // the app answers each read at once
      onClose() {},
    });
  });
  const c = w.client('sensor', null, {
    onOpen: () => { for (let i = 1; i <= 8; i++) c.socket.write(new Uint8Array([i])); },
  });
  w.runMs(3000);
  return { w, got };
}

interface GapFill { tMs: number; newRcvNxt: number; unlocked: number; after: Send[] }

/**
 * Replay the broker's receive side from the trace: which arriving sensor segments filled a
 * gap, how many held segments each unlocked, and what the broker sent in reaction (the sends
 * between that delivery and the next event that is not a send, at the same instant).
 */
function gapFills(events: TraceEvent[]): GapFill[] {
  const sent = new Map<number, Send>();
  let rcvNxt: number | null = null;
  const held = new Map<number, number>(); // seq → len
  const fills: GapFill[] = [];
  for (let i = 0; i < events.length; i++) {
    const e = events[i]!;
    if (e.kind === 'seg.send') { sent.set(e.id, e); continue; }
    if (e.kind !== 'seg.deliver') continue;
    const s = sent.get(e.id)!;
    if (s.node !== 'sensor') continue;
    if (s.flags === 'SYN') { rcvNxt = (s.tcpSeq + 1) >>> 0; continue; }
    if (s.len === 0 || rcvNxt === null) continue;
    if (s.tcpSeq !== rcvNxt) { held.set(s.tcpSeq, s.len); continue; }
    const hadHeld = held.size > 0;
    rcvNxt = (rcvNxt + s.len) >>> 0;
    let unlocked = 0;
    for (let len = held.get(rcvNxt); len !== undefined; len = held.get(rcvNxt)) {
      held.delete(rcvNxt);
      rcvNxt = (rcvNxt + len) >>> 0;
      unlocked++;
    }
    if (!hadHeld || unlocked === 0) continue;
    const after: Send[] = [];
    for (let j = i + 1; j < events.length; j++) {
      const x = events[j]!;
      const quiet = x.kind === 'seg.send' || x.kind === 'timer.set' || x.kind === 'timer.clear';
      if (x.tMs !== e.tMs || !quiet) break;
      if (x.kind === 'seg.send' && x.node === 'broker') after.push(x);
    }
    fills.push({ tMs: e.tMs, newRcvNxt: rcvNxt, unlocked, after });
  }
  return fills;
}

describe('reordered segments (link jitter)', () => {
  const seeds = [1, 2, 3, 4, 5, 6, 7, 8];

  it('the app reads the bytes in the order they were written', () => {
    for (const seed of seeds) expect(reorderWorld(seed).got).toEqual([1, 2, 3, 4, 5, 6, 7, 8]);
  });

  it('a segment that fills a gap gets exactly one cumulative ACK, before the app answers', () => {
    let multi = 0;
    let total = 0;
    for (const seed of seeds) {
      const { w } = reorderWorld(seed);
      for (const f of gapFills(w.events)) {
        total++;
        if (f.unlocked >= 2) multi++;
        const pureAcks = f.after.filter((s) => s.flags === 'ACK' && s.len === 0);
        // One ACK for the whole run this segment unlocked, not one per drained segment.
        expect(pureAcks.map((s) => s.ack), `seed ${seed} at ${f.tMs} ms`).toEqual([f.newRcvNxt]);
        // It leaves before the echo the app writes while reading (tcp_data_ready only wakes
        // the app; __tcp_ack_snd_check has already sent the ACK).
        const first = { flags: 'ACK', len: 0, ack: f.newRcvNxt };
        expect(f.after[0], `seed ${seed} at ${f.tMs} ms`).toMatchObject(first);
        expect(f.after.slice(1).every((s) => s.flags === 'PSH,ACK' && s.len === 1)).toBe(true);
      }
    }
    // The seeds do exercise the case: gaps filled, some unlocking several held segments.
    expect(total).toBeGreaterThan(3);
    expect(multi).toBeGreaterThan(0);
  });

  it('never sends the same pure ACK twice back to back in the same instant', () => {
    for (const [seed, echo] of seeds.flatMap((s) => [[s, true], [s, false]] as const)) {
      const { w, got } = reorderWorld(seed, echo);
      expect(got).toEqual([1, 2, 3, 4, 5, 6, 7, 8]);
      const acks = w.of('seg.send').filter((s) => s.node === 'broker');
      for (let i = 1; i < acks.length; i++) {
        const a = acks[i - 1]!;
        const b = acks[i]!;
        const dup = a.flags === 'ACK' && b.flags === 'ACK' && a.len === 0 && b.len === 0 &&
          a.tMs === b.tMs && a.ack === b.ack;
        expect(dup, `seed ${seed} echo ${echo}: duplicate ACK ${b.ack} at ${b.tMs} ms`).toBe(false);
      }
    }
  });
});
