/**
 * The fleet aggregator on real runs of group scenarios: exact numbers a user would check, and
 * the broker's belief agreeing with the world reducer's sessions (sim/world) along the run.
 */
import { describe, expect, it } from 'vitest';
import { parseScenario, resolveScenario, runScenario, World } from '../../sim/index.ts';
import { fleetGroups, fleetReport } from '../../sim/fleet/index.ts';

function run(file: object) {
  const p = parseScenario(file);
  if (!p.ok) throw new Error(JSON.stringify(p.problems));
  const resolved = resolveScenario(p.scenario);
  const { trace } = runScenario(resolved);
  return { resolved, trace, report: fleetReport(resolved, trace, { groups: fleetGroups(p.scenario) }) };
}

const halfLosePower = {
  format: 'halfopen/scenario', version: 1, name: 'half lose power', seed: 3, durationMs: 120_000,
  broker: { id: 'broker', profile: 'spec' },
  clients: [
    { id: 'sensor', count: 30, keepAliveSeconds: 20, connectAtMs: { fromMs: 0, toMs: 5000 } },
    { id: 'meter', count: 30, keepAliveSeconds: 20, connectAtMs: { fromMs: 0, toMs: 5000 },
      will: { topic: 'status/meter', payload: 'offline', qos: 1 } },
  ],
  actions: [{ atMs: 30_000, do: 'power-off', node: 'meter' }, { atMs: 90_000, do: 'power-on', node: 'meter' }],
};

describe('fleet report of a group power cut', () => {
  const { resolved, trace, report } = run(halfLosePower);

  it('the broker believes the powered-off group online until its keep-alive deadlines', () => {
    const [start, off, on] = report.phases;
    expect(report.phases.map((p) => `${p.action} ${p.target}`)).toEqual(['start ', 'power-off meter (30 devices)', 'power-on meter (30 devices)']);
    expect(start!.firstConnections).toBe(60);
    expect([off!.believedAtStart, off!.aliveAtStart]).toEqual([60, 60]);
    expect(off!.maxLie).toBe(30);
    expect(off!.maxLieAtMs).toBe(30_000);
    // spec: exactly 1.5 × 20 s after the last packet, so every meter is detected within 30 s.
    expect(off!.counts.detections).toBe(30);
    expect(off!.counts.willsPublished).toBe(30);
    expect([off!.believedAtEnd, off!.aliveAtEnd]).toEqual([30, 30]);
    expect(on!.reconnections.count).toBe(30);
    expect(on!.believedAtEnd).toBe(60);
    // Second by second: 60 believed and 30 alive right after the cut.
    const b = report.series.bucketMs;
    expect(report.series.believed[30_000 / b]).toBe(60);
    expect(report.series.alive[30_000 / b]).toBe(30);
  });

  it('the detections come exactly 1.5 × K after each meter\'s last packet, inside [30 s, 60 s]', () => {
    const det = trace.filter((e) => e.kind === 'broker.keepalive-expired');
    expect(det).toHaveLength(30);
    for (const e of det) expect(e.tMs - (e as { lastRecvMs: number }).lastRecvMs).toBe(30_000);
    const first = Math.min(...det.map((e) => e.tMs));
    const last = Math.max(...det.map((e) => e.tMs));
    expect(first).toBeGreaterThan(30_000);
    expect(last).toBeLessThanOrEqual(60_000);
    let sum = 0;
    for (const v of report.series.counters.detections!) sum += v;
    expect(sum).toBe(30);
  });

  it('levels are consistent: believed moves by connects − disconnects each bucket', () => {
    const s = report.series;
    let prev = 0;
    for (let i = 0; i < s.buckets; i++) {
      expect(s.believed[i]).toBe(prev + s.connects[i]! - s.disconnects[i]!);
      prev = s.believed[i]!;
    }
  });

  it('believed online equals the world reducer\'s connected sessions at every bucket end', () => {
    const w = new World(resolved, trace);
    const b = report.series.bucketMs;
    let seq = -1;
    for (let i = 0; i < report.series.buckets; i += 5) {
      const end = (i + 1) * b;
      while (seq + 1 < trace.length && trace[seq + 1]!.tMs < end) seq++;
      w.seek(seq);
      const view = w.view(end);
      const sessions = view.nodes.broker!.sessions.filter((x) => x.status === 'connected').length;
      const up = Object.values(view.nodes).filter((n) => n.role === 'client' && n.host === 'up' && n.client?.connectedConn).length;
      expect({ i, believed: report.series.believed[i] }).toEqual({ i, believed: sessions });
      expect({ i, alive: report.series.alive[i] }).toEqual({ i, alive: up });
    }
  });
});

describe('fleet report of a broker restart (a reconnect storm)', () => {
  const storm = {
    format: 'halfopen/scenario', version: 1, name: 'broker restart', seed: 5, durationMs: 90_000,
    broker: { id: 'broker', profile: 'mosquitto-2.0' },
    clients: [{ id: 'dev', count: 200, keepAliveSeconds: 30, connectAtMs: { fromMs: 0, toMs: 10_000 } }],
    actions: [{ atMs: 30_000, do: 'power-off', node: 'broker' }, { atMs: 40_000, do: 'power-on', node: 'broker' }],
  };
  const { report } = run(storm);

  it('everyone comes back after the broker does, and the times say when', () => {
    const [, off, on] = report.phases;
    expect(off!.target).toBe('broker');
    expect(off!.disconnects).toBe(200);
    expect(off!.believedAtEnd).toBe(0);
    expect(on!.reconnections.count).toBe(200);
    expect(on!.believedAtEnd).toBe(200);
    expect(on!.aliveAtEnd).toBe(200);
    const r = on!.reconnections;
    expect(r.first!).toBeGreaterThan(40_000);
    expect(r.first! <= r.median! && r.median! <= r.p99! && r.p99! <= r.last!).toBe(true);
    expect(RECORDED).toEqual({ first: r.first, median: r.median, p99: r.p99, last: r.last, synDropsOff: off!.counts.synDrops, synDropsOn: on!.counts.synDrops, giveUps: on!.counts.giveUps });
  });
});
/**
 * Recorded from this run (seed 5): the broker is back at 40 s; the clients learn of it as their
 * keep-alive traffic meets the rebooted broker's RST, the first back 1.05 s later, the last
 * 8.06 s later. No SYN was dropped: no client tried while the broker was off. A change to the
 * model that moves these fails here on purpose (update them with the reason).
 */
const RECORDED = { first: 41050, median: 42750, p99: 47934, last: 48062, synDropsOff: 0, synDropsOn: 0, giveUps: 0 };

describe('per-group levels', () => {
  it('the powered-off group alone loses its alive devices; the groups add up to the fleet', () => {
    const { report } = run(halfLosePower);
    const s = report.series;
    const n = s.buckets;
    const at = (a: Int32Array, g: number, ms: number): number => a[g * n + ms / s.bucketMs]!;
    expect(report.groups.map((g) => g.id)).toEqual(['sensor', 'meter']);
    // At 31 s: sensors 30/30, meters believed 30 but 0 alive.
    expect([at(s.groupBelieved, 0, 31_000), at(s.groupAlive, 0, 31_000)]).toEqual([30, 30]);
    expect([at(s.groupBelieved, 1, 31_000), at(s.groupAlive, 1, 31_000)]).toEqual([30, 0]);
    for (let b = 0; b < n; b++) {
      expect(s.groupBelieved[b]! + s.groupBelieved[n + b]!).toBe(s.believed[b]);
      expect(s.groupAlive[b]! + s.groupAlive[n + b]!).toBe(s.alive[b]);
    }
  });
});

describe('fleet report without the per-group series (the CLI human summary, issue 13 memory)', () => {
  it('is the same report with the two per-group series empty', () => {
    const { resolved, trace, report } = run(halfLosePower);
    const p = parseScenario(halfLosePower);
    if (!p.ok) throw new Error('invalid');
    const lean = fleetReport(resolved, trace, { groups: fleetGroups(p.scenario), groupSeries: false });
    expect(lean.series.groupBelieved.length).toBe(0);
    expect(lean.series.groupAlive.length).toBe(0);
    expect(report.series.groupBelieved.length).toBe(2 * report.series.buckets);
    const strip = (r: typeof report) => ({ ...r, series: { ...r.series, groupBelieved: null, groupAlive: null } });
    expect(strip(lean)).toEqual(strip(report));
  });
});
