/**
 * The words the event log and the Inspector show come from the trace (its `why` sentences and
 * the events it links by connection) and from sim/world, not from rules written again in the
 * app: a crash's sentence goes on with what the broker then did with that client's Will.
 */
import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseScenario, parseScenarioText, resolveScenario, runScenario, worldHistory } from '../../sim/index.ts';
import type { Scenario } from '../../sim/index.ts';
import { contextFor, keepAliveArithmetic, whyFor } from '../../app/model/explain.ts';

const root = new URL('../..', import.meta.url).pathname;

function run(scenario: Scenario) {
  const resolved = resolveScenario(scenario);
  const r = runScenario(resolved, { stepEnds: true });
  return { resolved, trace: r.trace, stepEnds: Int32Array.from(r.stepEnds ?? []) };
}

function shipped(name: string) {
  const parsed = parseScenarioText(readFileSync(join(root, 'public/scenarios', `${name}.json`), 'utf8'));
  if (!parsed.ok) throw new Error(`${name} is invalid`);
  return run(parsed.scenario);
}

const crashes = (r: ReturnType<typeof run>) =>
  r.trace.filter((e) => e.kind === 'action' && e.do === 'crash').map((e) => whyFor(r.trace, e.seq, r.resolved, r.stepEnds));

describe('a crash, in words', () => {
  it('says the Will is published when the trace shows the broker publishing it, with the broker\'s own why', () => {
    const [text] = crashes(shipped('crash-vs-power-off'));
    expect(text).toBe('the crashed process dies: its kernel closes the socket (FIN), so the broker sees the connection ' +
      'end without DISCONNECT: a lost connection, the case its Will is for; at 10.010 s the broker publishes its Will on ' +
      'status/crashed ([MQTT-3.1.2-8] the connection of crashed closed without DISCONNECT)');
  });

  it('follows a Will Delay to its end: scheduled, then discarded on reconnect or published when the delay is over', () => {
    const [first, second] = crashes(shipped('will-delay-cancelled'));
    expect(first).toMatch(/at 12\.010 s the broker schedules its Will for 42\.010 s \(MQTT 5 Will Delay Interval 30 s: .*\); at 20\.030 s the broker discards its Will \(\[MQTT-3\.1\.3-9\] a new connection to the session arrived before the Will Delay elapsed\)$/);
    expect(first).not.toMatch(/publishes its Will/);
    expect(second).toMatch(/schedules its Will for 70\.010 s .*; at 70\.010 s .*the broker publishes its Will on status\/sensor \(the Will Delay Interval of 30 s has passed/);
  });

  it('says nothing is published for a client without a Will: the simulator\'s sentence, nothing added', () => {
    const parsed = parseScenario({
      format: 'halfopen/scenario', version: 1, name: 'No Will', durationMs: 20_000, seed: 1,
      broker: { id: 'broker' }, clients: [{ id: 'plain', keepAliveSeconds: 10 }],
      actions: [{ atMs: 5_000, do: 'crash', node: 'plain' }],
    });
    if (!parsed.ok) throw new Error('invalid');
    const r = run(parsed.scenario);
    const action = r.trace.find((e) => e.kind === 'action')!;
    expect(action.why).toMatch(/plain has no Will, so none is published$/);
    expect(whyFor(r.trace, action.seq, r.resolved, r.stepEnds)).toBe(action.why);
  });
});

describe('why a connection closed locally', () => {
  it('names the cause from the same engine step: the client giving up on PINGRESP', () => {
    const r = shipped('nat-idle-timeout');
    const closed = r.trace.filter((e) => e.kind === 'conn.closed' && e.cause === 'local');
    const words = closed.map((e) => contextFor(r.trace, e.seq, r.stepEnds));
    expect(words).toContain(' — the client gave up: no PINGRESP in time');
  });
});

describe('whose Will a delivered message is', () => {
  it('reads the delivery\'s own origin, which the broker\'s routing set', () => {
    const r = shipped('will-delay-cancelled');
    const delivered = r.trace.filter((e) => e.kind === 'message.delivered');
    expect(delivered.map((e) => contextFor(r.trace, e.seq, r.stepEnds))).toEqual([' — the Last Will of sensor (sensor/2): “offline”']);
    const published = r.trace.find((e) => e.kind === 'will.published')!;
    expect(delivered[0]).toMatchObject({ origin: 'will', originClientId: published.clientId, originConn: published.conn });
  });

  it('says nothing for a message without an origin, however close a Will with its topic and payload was', () => {
    // The same delivery, 10 ms after the Will went out on its topic with its payload, as if a
    // client had published those bytes itself: only the trace's origin makes it a Will.
    const r = shipped('will-delay-cancelled');
    const trace = r.trace.map((e) => {
      if (e.kind !== 'message.delivered') return e;
      const { origin: _o, originClientId: _c, originConn: _n, ...plain } = e;
      return plain;
    });
    const seq = trace.findIndex((e) => e.kind === 'message.delivered');
    expect(contextFor(trace, seq, r.stepEnds)).toBe('');
  });
});

describe('the keep-alive deadline\'s arithmetic', () => {
  it('uses the keep-alive sim/world says is in force on the connection', () => {
    const r = shipped('retained-will');
    const h = worldHistory(r.resolved, r.trace, r.resolved.durationMs);
    const t = h.timers.find((x) => x.timer === 'broker.keepalive')!;
    expect(t.keepAliveSeconds).toBe(10);
    expect(keepAliveArithmetic(t.setMs, t.dueMs, t.keepAliveSeconds)).toBe('last packet 0.030 s + 1.5 × 10 s = 15.030 s');
    expect(h.timers.filter((x) => x.timer !== 'broker.keepalive').every((x) => x.keepAliveSeconds === null)).toBe(true);
  });
});
