/**
 * The comparison's own rules on hand-made observations (no root, no namespaces): the extractors
 * compute what their names say, every tolerance can fail, and every tolerance is documented.
 */
import { describe, expect, it } from 'vitest';
import { readFileSync, readdirSync } from 'node:fs';
import { markRetransmissions, type Observation, type Seg } from './observation.ts';
import { expand, measure, type Measure, type QuantitySpec } from './quantities.ts';
import { TOLERANCES, agrees, type ToleranceName } from './tolerances.ts';

const seg = (t: number, from: string, to: string, flags: string, seq: number, len = 0, mqtt: string[] = [], conn = 'c#1'): Seg =>
  ({ t, from, to, conn, flags, seq, ack: 0, len, mqtt, retx: false });

function world(): Observation {
  const segs = [
    seg(0, 'c', 'broker', 'S', 100),
    seg(0.05, 'broker', 'c', 'SA', 500),
    seg(1, 'c', 'broker', 'PA', 101, 10, ['CONNECT']),
    seg(2, 'broker', 'c', 'PA', 501, 4, ['CONNACK']),
    seg(1000, 'c', 'broker', 'PA', 111, 2, ['PINGREQ']),
    seg(1207, 'c', 'broker', 'PA', 111, 2, []),
    seg(1415, 'c', 'broker', 'PA', 111, 2, []),
    seg(1830, 'c', 'broker', 'PA', 111, 2, []),
    seg(4000, 'broker', 'c', 'FA', 505),
    seg(4000.2, 'c', 'broker', 'R', 113),
  ];
  markRetransmissions(segs);
  return {
    segs,
    events: [
      { t: 2.5, kind: 'client.connected', node: 'c', sessionPresent: false },
      { t: 3000, kind: 'client.gave-up', node: 'c' },
      { t: 4001, kind: 'will', topic: 'status/c' },
    ],
  };
}

describe('extractors', () => {
  const o = world();
  const q = (spec: Measure) => measure(o, { id: 'x', tol: 'exact', ...spec } as QuantitySpec);

  it('marks retransmissions and lets them inherit the MQTT packet', () => {
    expect(o.segs.filter((s) => s.retx).map((s) => s.t)).toEqual([1207, 1415, 1830]);
    expect(o.segs[5]!.mqtt).toEqual(['PINGREQ']);
  });
  it('retx: the i-th retransmission after the original', () => {
    expect(expand([{ id: 'r', tol: 'tcp-retx', m: 'retx', seg: { mqtt: 'PINGREQ' }, i: [1, 2, 3, 4] }]).map((s) => measure(o, s)))
      .toEqual([207, 415, 830, null]);
  });
  it('count, events, time, field, closes', () => {
    expect(q({ m: 'count', seg: { from: 'c', mqtt: 'PINGREQ', before: { ev: { kind: 'client.gave-up' } } } })).toBe(4);
    expect(q({ m: 'count', seg: { from: 'c', hasFlag: 'F' } })).toBe(0);
    expect(q({ m: 'events', ev: { kind: 'will' } })).toBe(1);
    expect(q({ m: 'time', of: { ev: { kind: 'will' } }, from: { seg: { mqtt: 'PINGREQ' } } })).toBe(3001);
    expect(q({ m: 'time', of: { ev: { kind: 'will' } }, from: { seg: { from: 'c', data: true, last: true } } })).toBe(2171);
    expect(q({ m: 'field', ev: { kind: 'client.connected', node: 'c' }, field: 'sessionPresent' })).toBe(false);
    expect(q({ m: 'closes', conn: 'c#1' })).toBe('broker:FA c:R');
    expect(q({ m: 'count', seg: { from: 'c', retransmitted: true, retx: false } })).toBe(1);
  });
});

describe('tolerances', () => {
  it('kernel timers: never early, at most 1/8 late', () => {
    expect(agrees('tcp-retx', 207, 200)).toBe(true);
    expect(agrees('tcp-retx', 415, 600)).toBe(false); // RTO-only model vs a tail loss probe
    expect(agrees('tcp-retx', 6748, 6400)).toBe(true);
    expect(agrees('tcp-retx', 7300, 6400)).toBe(false);
    expect(agrees('tcp-syn', 2046, 3000)).toBe(false); // linear vs classic SYN schedule
  });
  it('windows need both values inside', () => {
    expect(agrees('mosquitto-scan', 7000, 3500, [3000, 10000])).toBe(true);
    expect(agrees('mosquitto-scan', 7000, 2000, [3000, 10000])).toBe(false);
  });
  it('broker processing time: the order of magnitude, never zero against a real spread', () => {
    expect(agrees('broker-drain', 0.1, 0.2)).toBe(true); // CI, a fast run
    expect(agrees('broker-drain', 0.5, 0.2)).toBe(true); // a loaded run
    expect(agrees('broker-drain', 0.2, 0)).toBe(false); // a broker with no processing time
    expect(agrees('broker-drain', 0.2, 2)).toBe(false); // ten times too slow
    expect(agrees('broker-drain', 0, 0)).toBe(true);
  });
  it('a Will after a resume: the watcher may read it up to 60 ms late, never before SIGCONT, never a scan later', () => {
    expect(agrees('will-after-resume', 4.1, 0)).toBe(true); // mosquitto, a rerun
    expect(agrees('will-after-resume', 37.9, 0)).toBe(true); // aedes, a first run in a full CI suite
    expect(agrees('will-after-resume', 100, 0)).toBe(false); // mosquitto's 100 ms poll or a later scan
    expect(agrees('will-after-resume', 1000, 0)).toBe(false); // the next whole second
    expect(agrees('will-after-resume', 0, 20)).toBe(false); // a simulator that published 20 ms late
  });

  it('exact and missing values', () => {
    expect(agrees('exact', 0, 1)).toBe(false);
    expect(agrees('exact', 'broker:FA c:R', 'broker:FA')).toBe(false);
    expect(agrees('aedes-timer', null, 6000)).toBe(false);
    expect(agrees('aedes-timer', null, null)).toBe(true);
  });
  it('every tolerance has a why and a row in README.md, and every experiment uses known ones', () => {
    const readme = readFileSync(new URL('./README.md', import.meta.url), 'utf8');
    for (const [name, t] of Object.entries(TOLERANCES)) {
      expect(t.why.length, name).toBeGreaterThan(20);
      expect(readme, name).toContain(`| \`${name}\` |`);
    }
    const dir = new URL('./experiments/', import.meta.url);
    for (const f of readdirSync(dir).filter((x) => x.endsWith('.compare.json'))) {
      const qs = (JSON.parse(readFileSync(new URL(f, dir), 'utf8')) as { quantities: QuantitySpec[] }).quantities;
      for (const qq of qs) {
        expect(Object.keys(TOLERANCES), `${f}: ${qq.id}`).toContain(qq.tol as ToleranceName);
        if (TOLERANCES[qq.tol].kind === 'window') expect(qq.window, `${f}: ${qq.id}`).toHaveLength(2);
      }
    }
  });
});
