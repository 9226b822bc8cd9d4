/**
 * The fault-injecting proxy itself: each fault does to real sockets what README says.
 * Uses a plain TCP server where the bytes matter and aedes where MQTT behaviour matters.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import net from 'node:net';
import mqtt from 'mqtt';
import { startAedes, type RealBroker } from './brokers.ts';
import { createRecorder, type ObservedEvent } from './observed.ts';
import { FaultProxy } from './proxy.ts';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** A TCP server that records what it receives and how each connection ended. */
async function startSink() {
  const received: string[] = [];
  const endings: string[] = [];
  const sockets: net.Socket[] = [];
  const server = net.createServer({ allowHalfOpen: true }, (s) => {
    sockets.push(s);
    s.on('data', (d) => received.push(d.toString()));
    s.on('end', () => endings.push('fin'));
    s.on('error', (e: NodeJS.ErrnoException) => endings.push(e.code ?? 'error'));
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  const port = (server.address() as net.AddressInfo).port;
  return {
    port, received, endings, sockets,
    close: () => { for (const s of sockets) s.destroy(); return new Promise<void>((r) => server.close(() => r())); },
  };
}

async function connectTo(port: number) {
  const s = net.connect({ port, host: '127.0.0.1', allowHalfOpen: true });
  const endings: string[] = [];
  const received: string[] = [];
  s.on('data', (d) => received.push(d.toString()));
  s.on('end', () => endings.push('fin'));
  s.on('error', (e: NodeJS.ErrnoException) => endings.push(e.code ?? 'error'));
  await new Promise<void>((r) => s.once('connect', () => r()));
  return { s, endings, received };
}

const closes = (events: ObservedEvent[]) =>
  events.flatMap((e) => (e.kind === 'leg.closed' ? [{ side: e.side, how: e.how, tMs: e.tMs, passed: e.passed }] : []));

describe('FaultProxy over plain TCP', () => {
  it('passes bytes both ways, holds one direction during a cut and delivers it in order on heal', async () => {
    const sink = await startSink();
    const rec = createRecorder();
    const proxy = new FaultProxy({ node: 'c', brokerPort: sink.port, recorder: rec });
    const port = await proxy.start();
    const c = await connectTo(port);
    c.s.write('one;');
    await sleep(50);
    expect(sink.received.join('')).toBe('one;');
    sink.sockets[0]!.write('back;');
    await sleep(50);
    expect(c.received.join('')).toBe('back;');

    proxy.cut('c2b');
    c.s.write('two;');
    c.s.write('three;');
    sink.sockets[0]!.write('still;');
    await sleep(100);
    expect(sink.received.join('')).toBe('one;');       // held back
    expect(c.received.join('')).toBe('back;still;');   // the other direction flows
    proxy.heal('c2b');
    await sleep(50);
    expect(sink.received.join('')).toBe('one;two;three;');
    await proxy.close();
    await sink.close();
  });

  it('crash resets both sides (RST, not FIN)', async () => {
    const sink = await startSink();
    const rec = createRecorder();
    const proxy = new FaultProxy({ node: 'c', brokerPort: sink.port, recorder: rec });
    const c = await connectTo(await proxy.start());
    c.s.write('x');
    await sleep(50);
    proxy.crash();
    await sleep(100);
    expect(sink.endings).toEqual(['ECONNRESET']);
    expect(c.endings).toEqual(['ECONNRESET']);
    await proxy.close();
    await sink.close();
  });

  it('power loss never closes the broker side, even after the client side closed', async () => {
    const sink = await startSink();
    const rec = createRecorder();
    const proxy = new FaultProxy({ node: 'c', brokerPort: sink.port, recorder: rec });
    const c = await connectTo(await proxy.start());
    await sleep(30);
    proxy.powerLoss();
    c.s.write('lost');
    c.s.end();
    await sleep(150);
    expect(sink.received).toEqual([]);
    expect(sink.endings).toEqual([]);                  // half-open: the server was never told
    expect(sink.sockets[0]!.destroyed).toBe(false);
    expect(closes(rec.events)).toEqual([{ side: 'client', how: 'fin', tMs: expect.any(Number), passed: false }]);
    await proxy.close();
    await sink.close();
  });

  it('a FIN during a one-way cut is held and passed on at heal', async () => {
    const sink = await startSink();
    const rec = createRecorder();
    const proxy = new FaultProxy({ node: 'c', brokerPort: sink.port, recorder: rec });
    const c = await connectTo(await proxy.start());
    await sleep(30);
    proxy.cut('both');
    c.s.end();
    await sleep(100);
    expect(sink.endings).toEqual([]);
    proxy.heal('both');
    await sleep(50);
    expect(sink.endings).toEqual(['fin']);
    await proxy.close();
    await sink.close();
  });
});

describe('FaultProxy with aedes and MQTT.js', () => {
  let aedes: RealBroker;
  beforeAll(async () => { aedes = await startAedes(); });
  afterAll(async () => { await aedes.stop(); });

  it('power loss leaves a half-open connection that aedes closes at 1.5 K + 1 ms after the CONNECT', async () => {
    const rec = createRecorder();
    const proxy = new FaultProxy({ node: 'c', brokerPort: aedes.port, recorder: rec });
    const port = await proxy.start();
    rec.start();
    const client = mqtt.connect({ host: '127.0.0.1', port, keepalive: 1, reconnectPeriod: 0, clientId: 'px-power' });
    client.on('error', () => {});
    await new Promise<void>((r) => client.once('connect', () => r()));
    proxy.powerLoss();
    client.end(true);
    await sleep(2200);
    const connect = rec.events.find((e) => e.kind === 'packet' && e.packet === 'CONNECT')!;
    const brokerClose = closes(rec.events).find((e) => e.side === 'broker');
    expect(brokerClose).toBeDefined();
    // aedes: setTimeout(K * 1500 + 1) re-armed on each packet (behaviour.md §4, §10.2).
    expect(brokerClose!.tMs - connect.tMs).toBeGreaterThan(1450);
    expect(brokerClose!.tMs - connect.tMs).toBeLessThan(1600);
    await proxy.close();
  });

  it('with broker→client cut, MQTT.js K=2 pings at ~2 s, gives up at ~3 s, and its FIN reaches aedes', async () => {
    const rec = createRecorder();
    const proxy = new FaultProxy({ node: 'c', brokerPort: aedes.port, recorder: rec });
    const port = await proxy.start();
    rec.start();
    const client = mqtt.connect({ host: '127.0.0.1', port, keepalive: 2, reconnectPeriod: 0, clientId: 'px-cut' });
    const errors: { t: number; m: string }[] = [];
    client.on('error', (e) => errors.push({ t: rec.now(), m: e.message }));
    await new Promise<void>((r) => client.once('connect', () => r()));
    proxy.cut('b2c');
    await sleep(3400);
    const pings = rec.events.filter((e) => e.kind === 'packet' && e.packet === 'PINGREQ');
    const pongs = rec.events.filter((e) => e.kind === 'packet' && e.packet === 'PINGRESP');
    expect(pings).toHaveLength(1);
    expect(pings[0]!.tMs).toBeGreaterThan(1900);
    expect(pings[0]!.tMs).toBeLessThan(2150);
    expect(pongs.map((e) => e.kind === 'packet' && e.forwarded)).toEqual([false]); // aedes answered; dropped
    expect(errors.map((e) => e.m)).toEqual(['Keepalive timeout']);
    expect(errors[0]!.t).toBeGreaterThan(2900);
    expect(errors[0]!.t).toBeLessThan(3150);
    const c = closes(rec.events);
    expect(c[0]?.side).toBe('client');                  // the client closed first...
    expect(c.some((e) => e.side === 'broker')).toBe(true); // ...and aedes answered the FIN
    client.end(true);
    await proxy.close();
  });
});
