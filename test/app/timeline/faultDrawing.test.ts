/**
 * How the sequence diagram draws faults: cut/heal windows whatever end of the link the action
 * was written from, and a crash (the kernel closes the sockets and keeps its TCP timers)
 * unlike a power-off (everything forgotten at once).
 */
import { describe, it, expect } from 'vitest';
import { buildSequenceLayout } from '../../../app/view-model/sequenceLayout.ts';
import { parseScenario, resolveScenario, runScenario } from '../../../sim/index.ts';
import { TraceBuilder } from './traceBuilder.ts';

const NODES = ['broker', 'sensor'];

describe('cut/heal windows', () => {
  const windows = (actions: Array<[number, string, [string, string], string]>) => {
    const b = new TraceBuilder(10);
    for (const [tMs, what, link, direction] of actions) b.add(tMs, 'action', { do: what, link, direction });
    return buildSequenceLayout(b.build(), NODES, 10_000).faults.map((f) => [f.label, f.fromMs, f.toMs]);
  };

  it('close on a heal of the same direction written from the other end of the link', () => {
    // b->a of [sensor, broker] and a->b of [broker, sensor] are both broker → sensor.
    expect(windows([[1000, 'cut', ['sensor', 'broker'], 'b->a'], [3000, 'heal', ['broker', 'sensor'], 'a->b']]))
      .toEqual([['link cut broker → sensor', 1000, 3000]]);
  });

  it('stay open on a heal of the other direction', () => {
    // a->b of [broker, sensor]... written as b->a of [sensor, broker] is broker → sensor; a->b
    // of [sensor, broker] is sensor → broker: the cut direction is still cut.
    expect(windows([[1000, 'cut', ['sensor', 'broker'], 'b->a'], [3000, 'heal', ['sensor', 'broker'], 'a->b']]))
      .toEqual([['link cut broker → sensor', 1000, 10_000]]);
    expect(windows([[1000, 'cut', ['sensor', 'broker'], 'b->a'], [3000, 'heal', ['broker', 'sensor'], 'b->a']]))
      .toEqual([['link cut broker → sensor', 1000, 10_000]]);
  });

  it('close the matching cut even when another direction was cut first', () => {
    expect(windows([
      [1000, 'cut', ['sensor', 'broker'], 'a->b'], [2000, 'cut', ['sensor', 'broker'], 'b->a'],
      [3000, 'heal', ['broker', 'sensor'], 'a->b'],
    ])).toEqual([['link cut sensor → broker', 1000, 10_000], ['link cut broker → sensor', 2000, 3000]]);
  });
});

describe('crash versus power-off', () => {
  const parsed = parseScenario({
    format: 'halfopen/scenario', version: 1, name: 'crash vs power-off', seed: 1, durationMs: 40_000,
    broker: { id: 'broker', profile: 'spec' },
    clients: [{ id: 'crashed', keepAliveSeconds: 10 }, { id: 'unplugged', keepAliveSeconds: 10 }],
    actions: [{ atMs: 10_000, do: 'crash', node: 'crashed' }, { atMs: 10_000, do: 'power-off', node: 'unplugged' }],
  });
  if (!parsed.ok) throw new Error(JSON.stringify(parsed.problems));
  const trace = runScenario(resolveScenario(parsed.scenario), { keepTrace: true }).trace;
  const layout = buildSequenceLayout(trace, ['broker', 'crashed', 'unplugged'], 40_000);
  const closed = (node: string) => trace.find((e) => e.kind === 'conn.closed' && e.node === node)!;

  it('a crashed host’s band ends at its conn.closed (the kernel closes the socket), not as “forgotten”', () => {
    const band = layout.bands.find((b) => b.node === 'crashed')!;
    const c = closed('crashed');
    expect(band.cause).toBe('local');
    expect(band.closeSeq).toBe(c.seq);
    expect(band.toMs).toBe(10_000);
  });

  it('a powered-off host’s band is still forgotten at the power-off', () => {
    expect(layout.bands.find((b) => b.node === 'unplugged')!.cause).toBe('power-off');
  });

  it('a crashed host’s TCP retransmission timer runs on until the trace clears it', () => {
    // The FIN's retransmission timer starts as a loss probe (tcp.tlp), as on Linux.
    const rto = layout.ribbons.find((r) => r.node === 'crashed' && (r.timer === 'tcp.tlp' || r.timer === 'tcp.rto') && r.setMs >= 10_000)!;
    const clear = trace.find((e) => e.kind === 'timer.clear' && e.node === 'crashed' && e.timer === rto.timer && e.seq > rto.setSeq)!;
    expect(clear.tMs).toBeGreaterThan(10_000);
    expect(rto.outcome).toBe('cleared');
    expect(rto.endMs).toBe(clear.tMs);
    expect(rto.endSeq).toBe(clear.seq);
  });

  it('a crashed host’s MQTT timers end at the crash', () => {
    const ping = layout.ribbons.filter((r) => r.node === 'crashed' && r.timer === 'client.ping').at(-1)!;
    expect(ping.outcome).toBe('cleared');
    expect(ping.endMs).toBe(10_000);
  });
});
