import { describe, expect, it } from 'vitest';
import type { BrokerProfileName, ClientSpec } from '../../../sim/scenario/types.ts';
import { parseScenario } from '../../../sim/scenario/parse.ts';
import { checkExpectations } from '../../../sim/scenario/expect.ts';
import { run, scenario } from './helpers.ts';

const watcher: ClientSpec = { id: 'watcher', subscriptions: [{ topic: 'status/#', qos: 1 }] };

function sensor(over: Partial<ClientSpec>): ClientSpec {
  return {
    id: 'sensor', clientId: 'sensor-1', keepAliveSeconds: 60,
    will: { topic: 'status/sensor-1', payload: 'offline', qos: 1 }, ...over,
  };
}

describe('Will Delay (MQTT 5 §3.1.3.2.2)', () => {
  it('a quick reconnect cancels the delayed Will [MQTT-3.1.3-9]', () => {
    const r = run(scenario({
      durationMs: 30_000,
      clients: [sensor({
        protocol: '5.0', cleanStart: false, sessionExpirySeconds: 60,
        will: { topic: 'status/sensor-1', payload: 'offline', qos: 1, delaySeconds: 10 },
      }), watcher],
      actions: [{ atMs: 5_000, do: 'crash', node: 'sensor' }, { atMs: 8_000, do: 'restart', node: 'sensor' }],
    }));
    const [sched] = r.events('will.scheduled');
    expect(sched).toMatchObject({ clientId: 'sensor-1', conn: 'sensor/1' });
    // the broker sees the FIN of the crashed process 10 ms later
    expect(sched!.dueMs).toBe(sched!.tMs + 10_000);
    const [dropped] = r.events('will.discarded');
    expect(dropped).toMatchObject({ cause: 'reconnected', rule: 'MQTT-3.1.3-9' });
    expect(r.events('will.published')).toHaveLength(0);
    expect(r.events('client.connected', { node: 'sensor' })[1]!.sessionPresent).toBe(true);
  });

  it('without a reconnect the Will goes out when the delay has passed', () => {
    const r = run(scenario({
      durationMs: 30_000,
      clients: [sensor({
        protocol: '5.0', sessionExpirySeconds: 60,
        will: { topic: 'status/sensor-1', payload: 'offline', qos: 1, delaySeconds: 10 },
      }), watcher],
      actions: [{ atMs: 5_000, do: 'crash', node: 'sensor' }],
    }));
    const [sched] = r.events('will.scheduled');
    const [pub] = r.events('will.published');
    expect(pub).toMatchObject({ cause: 'delay-elapsed' });
    expect(pub!.tMs).toBe(sched!.dueMs);
    expect(r.events('message.delivered', { node: 'watcher', payload: 'offline' })).toHaveLength(1);
  });

  it('session expiry before the delay publishes the Will (session ended)', () => {
    const r = run(scenario({
      durationMs: 30_000,
      clients: [sensor({
        protocol: '5.0', sessionExpirySeconds: 3,
        will: { topic: 'status/sensor-1', payload: 'offline', qos: 1, delaySeconds: 10 },
      }), watcher],
      actions: [{ atMs: 5_000, do: 'crash', node: 'sensor' }],
    }));
    const [exp] = r.events('session.expired');
    const [pub] = r.events('will.published');
    expect(pub).toMatchObject({ cause: 'session-ended', tMs: exp!.tMs });
    expect(exp!.tMs).toBe(5_010 + 3_000);
  });

  it('SEI=0: spec publishes at close, mosquitto 2.0 waits the delay (§10.2: 3.51 s for 3 s)', () => {
    const at = (profile: BrokerProfileName) => {
      const r = run(scenario({
        durationMs: 30_000, broker: { id: 'broker', profile },
        clients: [sensor({ protocol: '5.0', will: { topic: 'status/sensor-1', payload: 'offline', delaySeconds: 3 } })],
        actions: [{ atMs: 5_000, do: 'crash', node: 'sensor' }],
      }));
      const closed = r.events('conn.closed', { node: 'broker', conn: 'sensor/1' })[0]!;
      const [pub] = r.events('will.published');
      return { after: pub!.tMs - closed.tMs, cause: pub!.cause };
    };
    expect(at('spec')).toEqual({ after: 0, cause: 'session-ended' });
    const m = at('mosquitto-2.0');
    expect(m.cause).toBe('delay-elapsed');
    expect(m.after).toBeGreaterThan(3_000);
    expect(m.after).toBeLessThanOrEqual(4_000);
  });
});

describe('DISCONNECT and the Will (§3.2)', () => {
  it('5.0 DISCONNECT 0x04 keeps the Will: published with cause disconnect-with-will', () => {
    const r = run(scenario({
      durationMs: 10_000, clients: [sensor({ protocol: '5.0' }), watcher],
      actions: [{ atMs: 5_000, do: 'disconnect', node: 'sensor', reasonCode: 4 }],
    }));
    const [d] = r.events('mqtt.recv', { node: 'broker', packet: 'DISCONNECT' });
    expect(d!.reasonCode).toBe(4);
    const [pub] = r.events('will.published');
    expect(pub).toMatchObject({ cause: 'disconnect-with-will', tMs: d!.tMs });
    expect(r.events('will.discarded')).toHaveLength(0);
    // a deliberate disconnect: no automatic reconnect
    expect(r.events('client.state', { node: 'sensor', state: 'connecting' })).toHaveLength(1);
  });

  it('3.1.1 DISCONNECT discards the Will [MQTT-3.14.4-3]', () => {
    const r = run(scenario({
      durationMs: 10_000, clients: [sensor({}), watcher],
      actions: [{ atMs: 5_000, do: 'disconnect', node: 'sensor' }],
    }));
    const [dropped] = r.events('will.discarded');
    expect(dropped).toMatchObject({ cause: 'disconnect', rule: 'MQTT-3.14.4-3' });
    expect(r.events('will.published')).toHaveLength(0);
    expect(r.events('message.delivered', { node: 'watcher' })).toHaveLength(0);
  });

  it('5.0 DISCONNECT 0x80: spec keeps the Will, mosquitto 2.0 discards it', () => {
    for (const [profile, published] of [['spec', 1], ['mosquitto-2.0', 0]] as const) {
      const r = run(scenario({
        durationMs: 10_000, broker: { id: 'broker', profile }, clients: [sensor({ protocol: '5.0' })],
        actions: [{ atMs: 5_000, do: 'disconnect', node: 'sensor', reasonCode: 0x80 }],
      }));
      expect(r.events('will.published')).toHaveLength(published);
    }
  });

  it('a connect action after a disconnect connects again', () => {
    const r = run(scenario({
      durationMs: 10_000, clients: [sensor({})],
      actions: [
        { atMs: 2_000, do: 'disconnect', node: 'sensor' },
        { atMs: 4_000, do: 'connect', node: 'sensor' },
      ],
    }));
    expect(r.events('client.connected').map((e) => e.tMs)).toEqual([40, 4_040]);
  });
});

describe('retained Will', () => {
  it('stays retained: a later subscriber gets it, also after the client is back', () => {
    const r = run(scenario({
      durationMs: 40_000,
      clients: [
        sensor({ keepAliveSeconds: 4, will: { topic: 'status/sensor-1', payload: 'offline', qos: 1, retain: true } }),
        { id: 'late', subscriptions: [{ topic: 'status/#', qos: 1 }], connectAtMs: 30_000 },
      ],
      actions: [
        { atMs: 5_000, do: 'power-off', node: 'sensor' },
        { atMs: 20_000, do: 'power-on', node: 'sensor' },
      ],
    }));
    const [pub] = r.events('will.published');
    expect(pub).toMatchObject({ cause: 'keepalive', retain: true });
    expect(r.events('client.connected', { node: 'sensor' })).toHaveLength(2);
    const got = r.events('message.delivered', { node: 'late', topic: 'status/sensor-1' });
    expect(got).toHaveLength(1);
    expect(got[0]).toMatchObject({ payload: 'offline', retain: true, qos: 1 });
    expect(got[0]!.tMs).toBeGreaterThan(30_000);
  });
});

describe('broker crash', () => {
  it('Wills of its clients are not published, and a restarted broker has no sessions', () => {
    const r = run(scenario({
      durationMs: 20_000,
      clients: [sensor({ cleanStart: false }), watcher],
      actions: [{ atMs: 5_000, do: 'crash', node: 'broker' }, { atMs: 6_000, do: 'restart', node: 'broker' }],
    }));
    expect(r.events('will.published')).toHaveLength(0);
    const again = r.events('client.connected', { node: 'sensor' });
    expect(again).toHaveLength(2);
    expect(again[1]!.sessionPresent).toBe(false);
  });
});

describe('a delivered Will names its origin (message.delivered origin, from the broker\'s routing)', () => {
  const r = run(scenario({
    durationMs: 20_000,
    clients: [
      sensor({ keepAliveSeconds: 10, will: { topic: 'status/sensor-1', payload: 'offline', qos: 2, retain: true } }),
      { id: 'watcher', subscriptions: [{ topic: 'status/#', qos: 2 }] },
      { id: 'liar', keepAliveSeconds: 60 },
      { id: 'late', connectAtMs: 10_000, subscriptions: [{ topic: 'status/#', qos: 1 }] },
    ],
    actions: [
      { atMs: 5_000, do: 'crash', node: 'sensor' },
      // The same topic and payload 1 s after the Will, published by another client.
      { atMs: 6_000, do: 'publish', node: 'liar', topic: 'status/sensor-1', payload: 'offline', qos: 2 },
    ],
  }));
  const will = { origin: 'will', originClientId: 'sensor-1', originConn: 'sensor/1' };

  it('the Will\'s PUBLISH carries it from the broker\'s mqtt.send to the client\'s mqtt.recv and delivery (QoS 2: after PUBREL)', () => {
    const [pub] = r.events('will.published');
    expect(pub).toMatchObject({ clientId: will.originClientId, conn: will.originConn });
    const delivered = r.events('message.delivered', { node: 'watcher' });
    expect(delivered.map((e) => e.origin ?? null)).toEqual(['will', null]);
    expect(delivered[0]).toMatchObject({ ...will, qos: 2 });
    expect(r.events('mqtt.send', { node: 'broker', peer: 'watcher', packet: 'PUBLISH', origin: 'will' })).toHaveLength(1);
    expect(r.events('mqtt.recv', { node: 'watcher', packet: 'PUBLISH', origin: 'will' })).toHaveLength(1);
    // The look-alike from `liar` is no Will: nothing on its way names one.
    expect(r.events('mqtt.recv', { node: 'watcher', packet: 'PUBLISH' }).filter((e) => e.origin === undefined)).toHaveLength(1);
  });

  it('a retained Will sent to a later subscriber is still the Will', () => {
    expect(r.events('message.delivered', { node: 'late' })).toEqual([expect.objectContaining({ ...will, retain: true })]);
  });

  it('can be selected by expect.where', () => {
    const parsed = parseScenario(scenario({
      clients: [sensor({})],
      expect: [{ kind: 'message.delivered', where: { origin: 'will', originClientId: 'sensor-1' }, count: 2 }],
    }));
    expect(parsed.ok).toBe(true);
    if (!parsed.ok) return;
    const [res] = checkExpectations(parsed.scenario.expect ?? [], r.trace);
    expect(res).toMatchObject({ ok: true });
  });
});
