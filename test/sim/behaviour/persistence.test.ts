/**
 * Broker persistence (scenario `broker.persistence`, profile `persistence`, mqtt/broker/store.ts)
 * and the orderly stop (`stop`, mqtt/broker/stop.ts): when the store is written, what it holds,
 * what a restart reads back, what a crash or a power cut loses. Exact numbers from
 * mosquitto 2.0.11's loop.c (`last_backup + autosave_interval < now_s` on its whole-second clock,
 * phase 0.5 s in the profile) and the literal profile's exact interval. The real mosquitto is
 * checked in test/kernel (broker-restart-persistence-sigkill / -sigterm).
 */
import { describe, expect, it } from 'vitest';
import { parseScenarioText } from '../../../sim/scenario/parse.ts';
import type { Action, BrokerProfileName, ClientSpec, ScenarioV1 } from '../../../sim/scenario/types.ts';
import { run, scenario } from './helpers.ts';

const persistent = (profile: BrokerProfileName, autosaveIntervalSeconds: number) =>
  ({ id: 'broker', profile, persistence: { autosaveIntervalSeconds } });

describe('autosave instants', () => {
  const table: [string, BrokerProfileName, number, Action[], number[]][] = [
    // mosquitto: saves when now_s > last_backup + I, i.e. every I + 1 clock seconds; the clock
    // reads 1 at 0.5 s after the start, so the first save is at I + 0.5 s.
    ['mosquitto-2.0, I = 60 s', 'mosquitto-2.0', 60, [], [60_500, 121_500, 182_500]],
    ['mosquitto-2.0, I = 1 s', 'mosquitto-2.0', 1, [], [1_500, 3_500, 5_500, 7_500, 9_500]],
    ['spec, I = 60 s (exact)', 'spec', 60, [], [60_000, 120_000, 180_000]],
    ['mosquitto-2.0, I = 1800 s (the default): none in the first 3 minutes', 'mosquitto-2.0', 1800, [], []],
    ['mosquitto-2.0, I = 0: only on an orderly stop', 'mosquitto-2.0', 0, [], []],
    ['aedes: no store modelled', 'aedes', 60, [], []],
    // A restarted broker counts from its own start: crash at 50 s, restart at 100 s, I = 10.
    ['mosquitto-2.0 restarted at 100 s, I = 10 s', 'mosquitto-2.0', 10,
      [{ atMs: 50_000, do: 'crash', node: 'broker' }, { atMs: 100_000, do: 'restart', node: 'broker' }],
      [10_500, 21_500, 32_500, 43_500, 110_500, 121_500, 132_500, 143_500, 154_500, 165_500, 176_500]],
    ['spec, I = 60 s, stopped at 100 s and restarted at 130 s: a save on the stop, then every 60 s', 'spec', 60,
      [{ atMs: 100_000, do: 'stop', node: 'broker' }, { atMs: 130_000, do: 'restart', node: 'broker' }],
      [60_000, 100_000]],
  ];
  for (const [name, profile, every, actions, want] of table) {
    it(name, () => {
      const durationMs = every === 1 ? 10_000 : 183_000;
      const r = run(scenario({ durationMs, broker: persistent(profile, every), clients: [], actions }));
      const saves = r.events('broker.store-saved');
      expect(saves.map((e) => e.tMs)).toEqual(want);
      for (const s of saves) expect(s.reason).toBe(s.tMs === 100_000 ? 'shutdown' : 'autosave');
    });
  }
});

describe('autosave after changes (mosquitto autosave_on_changes, autosave_interval 3)', () => {
  it('counts a persistent CONNECT, a SUBSCRIBE, a retained PUBLISH, a PUBACK received, a message queued', () => {
    const r = run(scenario({
      durationMs: 10_000, broker: { id: 'broker', profile: 'mosquitto-2.0', persistence: { autosaveAfterChanges: 3 } },
      clients: [
        { id: 'logger', cleanStart: false, keepAliveSeconds: 60, subscriptions: [{ topic: 'data/#', qos: 1 }] },
        { id: 'sensor', keepAliveSeconds: 60 },
      ],
      actions: [
        // Changes at the broker (links 10 ms one way): logger's CONNECT 30 ms (1), its SUBSCRIBE
        // 50 ms (2), the retained PUBLISH 1010 ms (3: save); logger's PUBACK of data/x 2030 ms (1),
        // data/x queued for the absent logger 4010 ms (2) and 5010 ms (3: save).
        { atMs: 1_000, do: 'publish', node: 'sensor', topic: 'status/s', payload: 'on', qos: 1, retain: true },
        { atMs: 2_000, do: 'publish', node: 'sensor', topic: 'data/x', payload: '1', qos: 1 },
        { atMs: 3_000, do: 'disconnect', node: 'logger' },
        { atMs: 4_000, do: 'publish', node: 'sensor', topic: 'data/x', payload: '2', qos: 1 },
        { atMs: 5_000, do: 'publish', node: 'sensor', topic: 'data/x', payload: '3', qos: 1 },
      ],
    }), { pairedCheck: true });
    expect(r.events('broker.store-saved').map((e) => [e.tMs, e.reason, e.messages, e.retained]))
      .toEqual([[1_010, 'changes', 0, 1], [5_010, 'changes', 2, 1]]);
    expect(r.events('timer.set', { timer: 'broker.autosave' })).toHaveLength(0);
  });
});

describe('which sessions the store holds (saved on an orderly stop, read back by the restart)', () => {
  const clients: ClientSpec[] = [
    { id: 'v3-persistent', protocol: '3.1.1', cleanStart: false, keepAliveSeconds: 60, reconnect: false, subscriptions: [{ topic: 'a/#', qos: 1 }] },
    { id: 'v3-clean', protocol: '3.1.1', cleanStart: true, keepAliveSeconds: 60, reconnect: false },
    { id: 'v5-clean0-sei0', protocol: '5.0', cleanStart: false, sessionExpirySeconds: 0, keepAliveSeconds: 60, reconnect: false },
    { id: 'v5-clean1-sei300', protocol: '5.0', cleanStart: true, sessionExpirySeconds: 300, keepAliveSeconds: 60, reconnect: false },
  ];
  const table: [BrokerProfileName, string[]][] = [
    // mosquitto persist__client_save: every client with clean_start false, whatever its expiry.
    ['mosquitto-2.0', ['v3-persistent', 'v5-clean0-sei0']],
    // spec: every session that outlives its connection (Session Expiry > 0).
    ['spec', ['v3-persistent', 'v5-clean1-sei300']],
  ];
  for (const [profile, want] of table) {
    it(profile, () => {
      const r = run(scenario({
        durationMs: 10_000, broker: persistent(profile, 0), clients,
        actions: [{ atMs: 5_000, do: 'stop', node: 'broker' }, { atMs: 6_000, do: 'restart', node: 'broker' }],
      }));
      const [saved] = r.events('broker.store-saved');
      expect(saved).toMatchObject({ tMs: 5_000, reason: 'shutdown', sessions: 2, subscriptions: 1, messages: 0, retained: 0 });
      const [restored] = r.events('broker.store-restored');
      expect(restored).toMatchObject({ tMs: 6_000, savedAtMs: 5_000, sessions: 2, subscriptions: 1 });
      expect(r.events('session.restored').map((e) => e.clientId).sort()).toEqual(want);
      expect(r.events('session.restored', { clientId: 'v3-persistent' })[0]!.subscriptions).toEqual(['a/#']);
    });
  }
});

/**
 * A sensor publishes retained "a" at 5 s and "b" at 15 s (mosquitto, I = 10: saves at 10.5 s
 * and 21.5 s); the broker goes down at 20 s and comes back at 25 s; a dashboard subscribes at 30 s.
 */
function lostBetweenSaves(down: 'crash' | 'power-off' | 'stop'): ReturnType<typeof run> {
  const up = down === 'power-off' ? 'power-on' : 'restart';
  return run(scenario({
    durationMs: 35_000, broker: persistent('mosquitto-2.0', 10),
    clients: [
      { id: 'sensor', keepAliveSeconds: 60, reconnect: false, will: { topic: 'status/sensor', payload: 'offline', qos: 1, retain: true } },
      { id: 'dash', keepAliveSeconds: 60, connectAtMs: 30_000, subscriptions: [{ topic: 'status/#', qos: 1 }] },
    ],
    actions: [
      { atMs: 5_000, do: 'publish', node: 'sensor', topic: 'status/sensor', payload: 'a', qos: 1, retain: true },
      { atMs: 15_000, do: 'publish', node: 'sensor', topic: 'status/sensor', payload: 'b', qos: 1, retain: true },
      { atMs: 20_000, do: down, node: 'broker' },
      { atMs: 25_000, do: up, node: 'broker' },
    ],
  }));
}

describe('what a restart finds', () => {
  const table: ['crash' | 'power-off' | 'stop', number, string, number][] = [
    // SIGKILL / power cut: the store of 10.5 s; "b" (15 s) is lost; no Will is published.
    ['crash', 10_500, 'a', 0],
    ['power-off', 10_500, 'a', 0],
    // SIGTERM: the sensor's Will "offline" (retained) goes out, then the store is written.
    ['stop', 20_000, 'offline', 1],
  ];
  for (const [down, savedAt, seen, wills] of table) {
    it(`${down}: the store of ${savedAt} ms, a new subscriber is told "${seen}"`, () => {
      const r = lostBetweenSaves(down);
      expect(r.events('broker.store-restored')[0]).toMatchObject({ tMs: 25_000, savedAtMs: savedAt, retained: 1, sessions: 0 });
      const got = r.events('message.delivered', { node: 'dash', topic: 'status/sensor' });
      expect(got.map((e) => [e.payload, e.retain])).toEqual([[seen, true]]);
      expect(r.events('will.published')).toHaveLength(wills);
    });
  }

  it('stop: the Wills go out before the final save, the connections close after it (mosquitto.c main)', () => {
    const r = lostBetweenSaves('stop');
    const order = (r.trace as { kind: string; node?: string }[])
      .filter((e) => e.kind === 'will.published' || e.kind === 'broker.store-saved' || (e.kind === 'conn.closed' && e.node === 'broker'))
      .map((e) => e.kind);
    expect(order.slice(-3)).toEqual(['will.published', 'broker.store-saved', 'conn.closed']);
    expect(r.events('will.published')[0]).toMatchObject({ tMs: 20_000, cause: 'server-closed', payload: 'offline', retain: true });
  });

  // aedes on stop (close() in turn, nothing saved): broker-stop-pause.test.ts.

  it('no save before the crash: the broker starts empty and says so', () => {
    const r = run(scenario({
      durationMs: 10_000, broker: persistent('mosquitto-2.0', 60), clients: [],
      actions: [{ atMs: 5_000, do: 'crash', node: 'broker' }, { atMs: 6_000, do: 'restart', node: 'broker' }],
    }));
    expect(r.events('broker.store-restored')[0]).toMatchObject({ tMs: 6_000, savedAtMs: null, sessions: 0 });
  });

  it('without broker.persistence a restart emits no store events (old files keep their trace)', () => {
    const r = run(scenario({
      durationMs: 10_000, broker: { id: 'broker', profile: 'mosquitto-2.0' }, clients: [],
      actions: [{ atMs: 5_000, do: 'crash', node: 'broker' }, { atMs: 6_000, do: 'restart', node: 'broker' }],
    }));
    expect(r.events('broker.store-restored')).toHaveLength(0);
    expect(r.events('timer.set', { timer: 'broker.autosave' })).toHaveLength(0);
  });
});

describe('a persistent subscriber after a restart', () => {
  /** logger (Clean Session 0, data/# QoS 1) leaves at 1 s; m1 (QoS 1) is queued at 2 s and saved by the autosave (I = 1 s) before the crash at 6 s. */
  const s = (profile: BrokerProfileName): ScenarioV1 => scenario({
    durationMs: 12_000, broker: persistent(profile, 1),
    clients: [
      { id: 'pub', keepAliveSeconds: 60 },
      { id: 'logger', keepAliveSeconds: 60, cleanStart: false, reconnect: false, subscriptions: [{ topic: 'data/#', qos: 1 }] },
    ],
    actions: [
      { atMs: 1_000, do: 'disconnect', node: 'logger' },
      { atMs: 2_000, do: 'publish', node: 'pub', topic: 'data/x', payload: 'm1', qos: 1 },
      { atMs: 6_000, do: 'crash', node: 'broker' }, { atMs: 7_000, do: 'restart', node: 'broker' },
      { atMs: 8_000, do: 'connect', node: 'logger' },
    ],
  });
  for (const profile of ['mosquitto-2.0', 'spec'] as const) {
    it(`${profile}: Session Present 1 and the queued QoS 1 message, once`, () => {
      const r = run(s(profile), { pairedCheck: true });
      expect(r.events('session.restored')).toEqual([expect.objectContaining({ clientId: 'logger', subscriptions: ['data/#'], messages: 1 })]);
      const connected = r.events('client.connected', { node: 'logger' });
      expect(connected.map((e) => e.sessionPresent)).toEqual([false, true]);
      const got = r.events('message.delivered', { node: 'logger' });
      expect(got.map((e) => [e.payload, e.qos])).toEqual([['m1', 1]]);
      expect(got[0]!.tMs).toBe(connected[1]!.tMs);
    });
  }
});

describe('a restored session\'s expiry (profile restoredExpiryArmed)', () => {
  /** A 5.0 client, Clean Start 0, Session Expiry 30 s; the broker stops at 5 s and restarts at 6 s; the client stays away. */
  const s = (profile: BrokerProfileName): ScenarioV1 => scenario({
    durationMs: 100_000, broker: persistent(profile, 0),
    clients: [{ id: 'c', protocol: '5.0', cleanStart: false, sessionExpirySeconds: 30, keepAliveSeconds: 60, reconnect: false }],
    actions: [{ atMs: 5_000, do: 'stop', node: 'broker' }, { atMs: 6_000, do: 'restart', node: 'broker' }],
  });
  it('spec: it counts down from the restart and ends exactly 30 s later', () => {
    const r = run(s('spec'), { pairedCheck: true });
    expect(r.events('session.restored')).toHaveLength(1);
    expect(r.events('session.expired').map((e) => e.tMs)).toEqual([36_000]);
  });
  it('mosquitto 2.0: never armed (persist_read.c FIXME): still there 94 s later', () => {
    const r = run(s('mosquitto-2.0'), { pairedCheck: true });
    expect(r.events('session.restored')).toHaveLength(1);
    expect(r.events('session.expired')).toHaveLength(0);
  });
});

describe('validation of broker.persistence and stop', () => {
  const base = (broker: unknown, actions: unknown[] = []) => JSON.stringify({
    format: 'halfopen/scenario', version: 1, name: 'x', durationMs: 1000, broker, clients: [{ id: 'c' }], actions,
  });
  const table: [string, string, string[]][] = [
    ['a bad interval and a bad flag', base({ id: 'broker', persistence: { enabled: 'yes', autosaveIntervalSeconds: -1 } }), [
      'broker.persistence.enabled: must be true or false',
      'broker.persistence.autosaveIntervalSeconds: must be an integer from 0 to 604800',
    ]],
    ['an unknown key', base({ id: 'broker', persistence: { autosave: 3 } }), [
      'broker.persistence.autosave: unknown key (did you mean "autosaveIntervalSeconds"?)',
    ]],
    ['not an object', base({ id: 'broker', persistence: true }), [
      'broker.persistence: must be an object like {"enabled": true, "autosaveIntervalSeconds": 1800}',
    ]],
    ['a timer and a change count at once', base({ id: 'broker', persistence: { autosaveIntervalSeconds: 60, autosaveAfterChanges: 10 } }), [
      'broker.persistence.autosaveAfterChanges: is given together with "autosaveIntervalSeconds"; mosquitto saves either on a timer or after a number of changes (autosave_on_changes), so give one of them',
    ]],
    ['a change count of 0', base({ id: 'broker', persistence: { autosaveAfterChanges: 0 } }), [
      'broker.persistence.autosaveAfterChanges: must be an integer from 1 to 1000000000',
    ]],
    ['stop on a client', base({ id: 'broker' }, [{ atMs: 1, do: 'stop', node: 'c' }]), [
      'actions[0].node: "c" is a client, but "stop" (an orderly stop of the broker process) applies to the broker only; use "crash" or "disconnect" for a client',
    ]],
  ];
  for (const [name, text, lines] of table) {
    it(name, () => {
      const p = parseScenarioText(text);
      expect(p.ok).toBe(false);
      if (!p.ok) expect(p.problems.map((x) => `${x.path}: ${x.message}`).sort()).toEqual([...lines].sort());
    });
  }
  it('accepts the documented form and defaults the interval to mosquitto\'s 1800 s', async () => {
    const { resolveScenario } = await import('../../../sim/scenario/resolve.ts');
    const p = parseScenarioText(base({ id: 'broker', persistence: { enabled: true } }, [{ atMs: 1, do: 'stop', node: 'broker' }]));
    expect(p.ok).toBe(true);
    if (p.ok) {
      expect(resolveScenario(p.scenario).broker.persistence).toEqual({ autosaveIntervalSeconds: 1800, autosaveAfterChanges: null });
      const off = parseScenarioText(base({ id: 'broker', persistence: { enabled: false } }));
      if (off.ok) expect(resolveScenario(off.scenario).broker.persistence).toBeNull();
    }
  });
});
