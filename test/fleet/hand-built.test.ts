/**
 * The fleet aggregator on a hand-built trace of two devices: every number a user reads in the
 * Fleet view or `--summary json` is checked exactly (levels at bucket ends, per-second counts,
 * CONNACK latency, phases with their reconnection times).
 */
import { describe, expect, it } from 'vitest';
import { parseScenario, resolveScenario } from '../../sim/index.ts';
import type { ResolvedScenario, TraceEvent } from '../../sim/index.ts';
import { FleetAggregator, COUNTER_ROWS, percentileSorted, spread } from '../../sim/fleet/index.ts';

function scenario(): ResolvedScenario {
  const p = parseScenario({
    format: 'halfopen/scenario', version: 1, name: 'two', durationMs: 6000,
    broker: { id: 'broker' }, clients: [{ id: 'a' }, { id: 'b' }],
  });
  if (!p.ok) throw new Error(JSON.stringify(p.problems));
  return resolveScenario(p.scenario);
}

type Raw = Record<string, unknown> & { tMs: number; kind: string };
/** A device connecting: both ends open, CONNECT, CONNACK `latency` ms after it. */
function connect(node: string, conn: string, t: number, latency: number): Raw[] {
  return [
    { tMs: t, kind: 'conn.open', node, peer: 'broker', conn },
    { tMs: t + 5, kind: 'conn.open', node: 'broker', peer: node, conn },
    { tMs: t + 10, kind: 'mqtt.send', node, peer: 'broker', conn, packet: 'CONNECT', clientId: node },
    { tMs: t + 10 + latency / 2, kind: 'mqtt.recv', node: 'broker', peer: node, conn, packet: 'CONNECT', clientId: node },
    { tMs: t + 10 + latency / 2, kind: 'mqtt.send', node: 'broker', peer: node, conn, packet: 'CONNACK', reasonCode: 0 },
    { tMs: t + 10 + latency, kind: 'mqtt.recv', node, peer: 'broker', conn, packet: 'CONNACK', reasonCode: 0 },
    { tMs: t + 10 + latency, kind: 'client.connected', node, conn, sessionPresent: false },
  ];
}

const raw: Raw[] = [
  ...connect('a', 'c1', 100, 20),
  ...connect('b', 'c2', 1500, 40),
  { tMs: 2500, kind: 'action', do: 'power-off', node: 'a' },
  { tMs: 2500, kind: 'conn.closed', node: 'a', peer: 'broker', conn: 'c1', cause: 'local', host: 'off' },
  { tMs: 2500, kind: 'host.state', node: 'a', state: 'off' },
  { tMs: 3000, kind: 'seg.send', id: 8, node: 'broker', peer: 'a', conn: 'c1', flags: 'PSH,ACK', tcpSeq: 1, ack: 1, len: 2 },
  { tMs: 3010, kind: 'seg.drop', id: 8, node: 'broker', peer: 'a', conn: 'c1', reason: 'host-down' },
  { tMs: 3100, kind: 'seg.send', id: 9, node: 'b', peer: 'broker', conn: 'c9', flags: 'SYN', tcpSeq: 1, ack: 0, len: 0 },
  { tMs: 3110, kind: 'seg.drop', id: 9, node: 'b', peer: 'broker', conn: 'c9', reason: 'loss' },
  { tMs: 4000, kind: 'broker.keepalive-expired', node: 'broker', clientId: 'a', conn: 'c1', lastRecvMs: 100 },
  { tMs: 4000, kind: 'conn.closed', node: 'broker', peer: 'a', conn: 'c1', cause: 'local' },
  { tMs: 4000, kind: 'will.published', node: 'broker', clientId: 'a', topic: 'status/a', cause: 'keepalive' },
  { tMs: 5000, kind: 'action', do: 'power-on', node: 'a' },
  { tMs: 5000, kind: 'host.state', node: 'a', state: 'up' },
  ...connect('a', 'c3', 5010, 30),
];
const trace = raw.map((e, seq) => ({ seq, ...e }) as unknown as TraceEvent);

describe('fleet aggregator, hand-built trace', () => {
  const agg = new FleetAggregator(scenario(), { bucketMs: 1000 });
  for (const ev of trace) agg.add(ev);
  const r = agg.finish();
  const s = r.series;

  it('believed online vs truly alive, at the end of each second', () => {
    expect(s.buckets).toBe(6);
    expect([...s.believed]).toEqual([1, 2, 2, 2, 1, 2]);
    expect([...s.alive]).toEqual([1, 2, 1, 1, 1, 2]);
    // The lie: a believed online (and b), from the power cut until the keep-alive detection.
    expect(r.maxLie).toBe(1);
    expect(r.maxLieAtMs).toBe(2500);
  });

  it('connects, disconnects and the counted kinds per second', () => {
    expect([...s.connects]).toEqual([1, 1, 0, 0, 0, 1]);
    expect([...s.disconnects]).toEqual([0, 0, 0, 0, 1, 0]);
    expect([...s.counters.synDrops!]).toEqual([0, 0, 0, 1, 0, 0]);
    expect([...s.counters.segDrops!]).toEqual([0, 0, 0, 2, 0, 0]);
    expect([...s.counters.detections!]).toEqual([0, 0, 0, 0, 1, 0]);
    expect([...s.counters.willsPublished!]).toEqual([0, 0, 0, 0, 1, 0]);
    expect(Object.keys(s.counters)).toEqual(COUNTER_ROWS.map((row) => row.key));
  });

  it('CONNACK latency per second (CONNECT sent to CONNACK received)', () => {
    expect([...s.connackP50]).toEqual([20, 40, NaN, NaN, NaN, 30]);
    expect([...s.connackMax]).toEqual([20, 40, NaN, NaN, NaN, 30]);
    expect(r.connack).toEqual({ count: 3, p50: 30, p99: 40, max: 40 });
  });

  it('one phase per action, with what followed it', () => {
    expect(r.phases.map((p) => [p.action, p.target, p.atMs, p.untilMs])).toEqual([
      ['start', '', 0, 2500], ['power-off', 'a', 2500, 5000], ['power-on', 'a', 5000, 6000],
    ]);
    const [start, off, on] = r.phases;
    expect(start!.firstConnections).toBe(2);
    expect(start!.connects).toBe(2);
    expect(off!.counts).toMatchObject({ detections: 1, willsPublished: 1, synDrops: 1, segDrops: 2 });
    expect([off!.believedAtStart, off!.aliveAtStart, off!.believedAtEnd, off!.aliveAtEnd]).toEqual([2, 2, 1, 1]);
    expect(off!.maxLie).toBe(1);
    expect(on!.reconnections).toEqual({ count: 1, first: 5050, median: 5050, p99: 5050, last: 5050 });
    expect(on!.firstConnections).toBe(0);
  });

  it('a new trace kind is counted by adding one table row', () => {
    const rows = [...COUNTER_ROWS, { key: 'listenOverflows', label: 'SYNs dropped by a full backlog', kinds: ['tcp.listen-overflow'] }];
    const a = new FleetAggregator(scenario(), { bucketMs: 1000, rows });
    a.add({ seq: 0, tMs: 1200, kind: 'tcp.listen-overflow', node: 'broker' } as unknown as TraceEvent);
    a.add({ seq: 1, tMs: 1300, kind: 'tcp.listen-overflow', node: 'broker' } as unknown as TraceEvent);
    const out = a.finish();
    expect([...out.series.counters.listenOverflows!]).toEqual([0, 2, 0, 0, 0, 0]);
    expect(out.totals.listenOverflows).toBe(2);
  });
});

describe('nearest-rank percentiles', () => {
  it('are measured values, the median the lower middle', () => {
    const hundred = Float64Array.from({ length: 100 }, (_, i) => i + 1);
    expect(percentileSorted(hundred, 50)).toBe(50);
    expect(percentileSorted(hundred, 99)).toBe(99);
    expect(percentileSorted([10, 20, 30, 40], 50)).toBe(20);
    expect(percentileSorted([10, 20, 30], 99)).toBe(30);
    expect(percentileSorted([], 50)).toBe(null);
    expect(spread([5, 1, 3])).toEqual({ count: 3, first: 1, median: 3, p99: 5, last: 5 });
  });
});
