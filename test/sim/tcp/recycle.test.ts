/**
 * A socket that died before its handshake completed is handed out again by its host's next
 * connect() (TcpHost.recycled): a reconnect storm's attempts then stop
 * feeding the garbage collector. It must change nothing but memory: the same traces with
 * recycling off, a recycled socket field for field a new one, and segments still naming the
 * socket's earlier life (Segment.to hints) not delivered to its new one.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseScenarioText, resolveScenario, runScenario, traceToNdjson } from '../../../sim/index.ts';
import type { Scenario } from '../../../sim/index.ts';
import { socketRecycling } from '../../../sim/tcp/host.ts';
import { TcpConn } from '../../../sim/tcp/connection.ts';
import { makeWorld } from './world.ts';

const root = join(import.meta.dirname, '..', '..', '..');

afterEach(() => { socketRecycling.enabled = true; });

/** The run's NDJSON trace, and how many sockets it recycled. */
function traceOf(s: Scenario, recycle: boolean): { ndjson: string; reused: number } {
  const parsed = parseScenarioText(JSON.stringify(s));
  if (!parsed.ok) throw new Error(parsed.problems.map((p) => `${p.path}: ${p.message}`).join('; '));
  socketRecycling.enabled = recycle;
  const before = socketRecycling.reused;
  const r = runScenario(resolveScenario(parsed.scenario));
  return { ndjson: traceToNdjson(r.trace), reused: socketRecycling.reused - before };
}

const shipped = (name: string): Scenario => JSON.parse(readFileSync(join(root, 'public/scenarios', name), 'utf8')) as Scenario;

/**
 * Every way an attempt dies before it opens, many times over: refused by a crashed broker,
 * SYNs and SYN-ACKs lost on a lossy link (retransmissions still in flight when the attempt
 * ends), a full listen queue after the restart, and connect timeouts.
 */
const rough: Scenario = {
  format: 'halfopen/scenario', version: 1, name: 'recycling: refused, lost and overflowing attempts', seed: 7,
  durationMs: 150_000,
  broker: { id: 'broker', profile: 'mosquitto-2.0', tcp: { somaxconn: 4 } },
  clients: [
    { id: 'dev', count: 40, keepAliveSeconds: 10, connectAtMs: { fromMs: 0, toMs: 2000 } },
    { id: 'paho', count: 10, keepAliveSeconds: 5, library: 'paho-python', connectAtMs: { fromMs: 0, toMs: 2000 } },
  ],
  links: [{ between: ['dev', 'broker'], loss: 0.3, jitterMs: 3 }, { between: ['paho', 'broker'], loss: 0.2 }],
  actions: [
    { atMs: 20_000, do: 'crash', node: 'broker' },
    { atMs: 60_000, do: 'restart', node: 'broker' },
    { atMs: 100_000, do: 'power-off', node: 'broker' },
    { atMs: 110_000, do: 'power-on', node: 'broker' },
  ],
} as unknown as Scenario;

describe('socket recycling', () => {
  it.each([
    ['reconnect-storm.json', shipped('reconnect-storm.json')],
    ['reconnect-storm-jitter.json', shipped('reconnect-storm-jitter.json')],
    ['refused, lost and overflowing attempts', rough],
  ])('changes no byte of the trace: %s', (_name, scenario) => {
    const on = traceOf(scenario, true);
    const off = traceOf(scenario, false);
    expect(off.reused).toBe(0);
    expect(on.reused).toBeGreaterThan(10);
    expect(on.ndjson === off.ndjson).toBe(true);
  });

  it('a recycled socket is, field for field, a new one for its connection', () => {
    const w = makeWorld({ trace: false });
    // Nothing listens on the broker: the attempt is refused (RST) and the socket dies in SYN-SENT.
    const first = w.client();
    w.runMs(100);
    expect(first.closed).toEqual([{ tMs: 20, cause: 'rst' }]);
    // Scribble over every field its next life must not inherit (all but what names it and its
    // host, its queues and what its host checks before recycling it): each must be reset.
    const keepAsIs = new Set(['host', 'node', 'rtxTimer', 'rtxQ', 'unsent', 'appEndPending']);
    const dead = first.socket as unknown as Record<string, unknown>;
    for (const [k, v] of Object.entries(dead)) {
      if (keepAsIs.has(k)) continue;
      dead[k] = typeof v === 'number' ? v + 12345 : typeof v === 'boolean' ? !v : typeof v === 'string' ? `${v}?` : { scribbled: k };
    }
    w.echoServer();
    const second = w.client();
    expect(second.socket).toBe(first.socket);
    const recycled = second.socket as TcpConn;
    const fresh = new TcpConn(recycled.host, recycled.peerIdx, recycled.localPort, recycled.remotePort, recycled.conn, recycled.key, null);
    // The same fields in the same order (one object shape), the same values but the timer slot
    // and the app's handlers; objects compared by what they hold, the host by identity.
    const skip = new Set(['rtxTimer', 'handlers']);
    const own = (c: TcpConn): [string, unknown][] => Object.entries(c).filter(([k]) => !skip.has(k))
      .map(([k, v]) => [k, k === 'host' ? v === recycled.host : v]);
    const [rec, neu] = [own(recycled), own(fresh)];
    expect(rec.map(([k]) => k)).toEqual(Object.keys(fresh).filter((k) => !skip.has(k)));
    // The recycled one has started its handshake (startActive): compare the fields it sets there apart.
    const started = new Set(['rtxQ', 'state', 'iss', 'sndUna', 'sndNxt', 'appOpen', 'rttActive', 'rttEnd', 'rttStart', 'lastSendAt', 'route']);
    expect(rec.filter(([k]) => !started.has(k))).toEqual(neu.filter(([k]) => !started.has(k)));
    expect(recycled.rtxQ).toHaveLength(1);
    expect(recycled.state).toBe('SYN-SENT');
    w.runMs(200);
    expect(second.opened).toEqual([120]);
  });

  it('a SYN-ACK of an attempt that died is answered with RST, not taken by the attempt that reuses its socket', () => {
    const w = makeWorld();
    w.echoServer();
    w.net.cut('broker', 'sensor', 'a->b');
    const first = w.client();
    // The SYN-ACKs are lost; the SYN sent again at 1 s tells the broker's request which socket
    // it talks to (TcpConn.remote, the hint its segments carry). The app gives up at 1.5 s and
    // connects again, on the same socket object, before the request's next SYN-ACK (3.01 s).
    w.at(1500, () => first.socket.close());
    w.at(1550, () => w.net.heal('broker', 'sensor', 'a->b'));
    let second: ReturnType<typeof w.client> | null = null;
    w.at(1600, () => { second = w.client(); });
    w.runMs(5000);
    expect(second!.socket).toBe(first.socket);
    expect(second!.socket.conn).toBe('sensor/2');
    expect(second!.opened).toEqual([1620]);
    // sensor/1's SYN-ACK, sent again at 3.01 s, reached sensor, which has no such connection any more.
    const stale = w.events.filter((e) => e.kind === 'seg.send' && e.conn === 'sensor/1' && e.node === 'sensor' && e.tMs > 1550);
    expect(stale.map((e) => e.kind === 'seg.send' && e.flags)).toEqual(['RST']);
    expect(w.events.filter((e) => e.kind === 'tcp.state' && e.conn === 'sensor/2' && e.node === 'sensor').map((e) => e.kind === 'tcp.state' && e.to))
      .toEqual(['SYN-SENT', 'ESTABLISHED']);
  });
});
