/**
 * Capture export over real runs: every shipped scenario (public/scenarios/*.json) is run with
 * recordWire, written with writeCapture and read by tshark.
 *
 * Checks what a user opening the file in Wireshark would check: every frame decodes, IPv4 and
 * TCP checksums validate, no expert-info errors, timestamps equal the segments' virtual times,
 * and every MQTT packet the simulator sent (mqtt.send events of the trace) appears, per
 * connection and direction, with the right Control Packet type and in order. Recording the
 * wire must not change the run: the trace is identical with and without recordWire.
 * The tshark part follows capture.test.ts's rule (fails under CI=true without tshark,
 * skipped loudly otherwise).
 */
import { describe, it, expect } from 'vitest';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { writeCapture, annotationsFromTrace } from '../../sim/pcap/capture.ts';
import { parseScenarioText } from '../../sim/scenario/parse.ts';
import { resolveScenario } from '../../sim/scenario/resolve.ts';
import { traceToNdjson } from '../../sim/trace/ndjson.ts';
import type { ResolvedScenario } from '../../sim/scenario/types.ts';
import { runScenario } from '../../sim/run.ts';
import type { WireSegment } from '../../sim/net/api.ts';
import { bytesOnWire, expectGoodFrames } from './frame-checks.ts';
import { tsharkAvailable, writeTemp, fields, MSGTYPE } from './tshark.ts';

const root = new URL('../..', import.meta.url).pathname;
const haveTshark = tsharkAvailable();
const ci = process.env['CI'] === 'true';
if (!haveTshark && !ci) console.warn(`\n*** WARNING: tshark is not installed: ${import.meta.url.split('/').pop()} is SKIPPED (apt-get install -y tshark).\n`);

const dir = join(root, 'public/scenarios');
const files = existsSync(dir)
  ? readdirSync(dir).filter((f) => f.endsWith('.json') && f !== 'index.json').sort()
  : [];

function load(file: string): ResolvedScenario {
  const parsed = parseScenarioText(readFileSync(join(dir, file), 'utf8'));
  if (!parsed.ok) throw new Error(`${file}: ${JSON.stringify(parsed.problems)}`);
  return resolveScenario(parsed.scenario);
}

/** A small scenario of our own, so the suite checks something even without shipped files. */
const OWN = {
  format: 'halfopen/scenario', version: 1, name: 'pcap: power-off, v5 and loss', seed: 3, durationMs: 60000,
  broker: { id: 'broker' },
  clients: [
    { id: 'sensor', keepAliveSeconds: 5, will: { topic: 'status/sensor', payload: 'offline' },
      publish: [{ topic: 'temp', payload: '21', everyMs: 2000, qos: 1 }] },
    { id: 'phone', protocol: '5.0', keepAliveSeconds: 10, subscriptions: [{ topic: 'status/#' }] },
  ],
  links: [{ between: ['sensor', 'broker'], latencyMs: 20, loss: 0.2 }],
  actions: [{ atMs: 20000, do: 'power-off', node: 'sensor' }],
};

const cases: [string, () => ResolvedScenario][] = [
  ...files.map((f): [string, () => ResolvedScenario] => [f, () => load(f)]),
  ['own scenario (power-off, v5, loss)', () => {
    const p = parseScenarioText(JSON.stringify(OWN));
    if (!p.ok) throw new Error(JSON.stringify(p.problems));
    return resolveScenario(p.scenario);
  }],
];

describe('capture of real runs', () => {
  it.each(cases)('%s: recording the wire and writing a capture do not change the trace', (name, get) => {
    const s = get();
    const plain = runScenario(s, { recordWire: false });
    const recorded = runScenario(s, { recordWire: true });
    writeCapture(recorded.wire, recorded.addresses, annotationsFromTrace(recorded.trace));
    expect(traceToNdjson(recorded.trace), name).toBe(traceToNdjson(plain.trace));
    expect(plain.wire, name).toEqual([]);
    expect(recorded.wire.length, name).toBeGreaterThan(0);
  }, 60_000);

  describe.skipIf(!haveTshark && !ci)('tshark', () => {
    it.each(cases)('%s: every frame decodes, checksums, times, MQTT packets in order, no errors', (name, get) => {
      expect(haveTshark, 'tshark is missing; CI must install it').toBe(true);
        const s = get();
      const result = runScenario(s, { recordWire: true });
      const bytes = writeCapture(result.wire, result.addresses, annotationsFromTrace(result.trace),
        { comment: `${s.name}, seed ${result.summary.seed}` });
      const path = writeTemp(`${name.replace(/[^\w.-]+/g, '_')}.pcapng`, bytes);
      const rows = fields(path, ['frame.time_epoch', 'frame.protocols', 'ip.checksum.status',
        'tcp.checksum.status', 'mqtt.msgtype', '_ws.expert.severity', 'frame.comment']);
      // The writer keeps equal times in order (stable sort), so frame i is sorted[i].
      const sorted = result.wire.slice().sort((a, b) => a.tUs - b.tUs);

      expectGoodFrames(rows, sorted, name);

      // MQTT packets per connection and direction: as tshark dissected them vs. the trace.
      const seen = new Map<string, number[]>();
      rows.forEach((r, i) => {
        const g = sorted[i] as WireSegment;
        if (r[4] === '' || r[4] === undefined) return;
        const key = `${g.conn} ${g.src}`;
        const list = seen.get(key) ?? [];
        list.push(...r[4].split('|').map(Number));
        seen.set(key, list);
      });
      // Bytes of each connection and direction that reached the wire at least once: a packet
      // the app wrote may still wait in the send queue (cwnd 1 in loss recovery) and never
      // appear in the capture.
      const onWire = bytesOnWire(sorted);
      const sent = new Map<string, number[]>();
      const written = new Map<string, number>();
      for (const e of result.trace) {
        if (e.kind !== 'mqtt.send') continue;
        const key = `${e.conn} ${e.node}`;
        const upTo = (written.get(key) ?? 0) + e.bytes;
        written.set(key, upTo);
        if (upTo > (onWire.get(key) ?? 0)) continue;
        const list = sent.get(key) ?? [];
        list.push(MSGTYPE[e.packet] ?? -1);
        sent.set(key, list);
      }
      expect(sent.size, `${name}: no mqtt.send events`).toBeGreaterThan(0);
      expect(Object.fromEntries(seen), name).toEqual(Object.fromEntries(sent));
    }, 60_000);
  });
});
