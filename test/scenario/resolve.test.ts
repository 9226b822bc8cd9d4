// Defaults of scenario format v1 (CONTRACT.md section 2), as resolveScenario applies them.
import { describe, expect, it } from 'vitest';
import { parseScenario } from '../../sim/scenario/parse.ts';
import { resolveScenario } from '../../sim/scenario/resolve.ts';
import type { ScenarioV1 } from '../../sim/scenario/types.ts';
import { contractExample, minimal, rich } from './fixtures.ts';

/** What a file without `tcp` meant in version 1: the linux-6.1 profile (sim/tcp/settings.ts). */
const LINUX_6_1 = {
  kernel: 'linux-6.1', retries2: 15, synRetries: 6, synackRetries: 5, synLinearTimeouts: 0,
  orphanRetries: 0, userTimeoutMs: 0, lossProbes: true,
  somaxconn: 4096, maxSynBacklog: 2048, syncookies: 1, abortOnOverflow: false,
} as const;

function resolved(s: ScenarioV1) {
  const r = parseScenario(s);
  if (!r.ok) throw new Error(JSON.stringify(r.problems));
  return resolveScenario(r.scenario);
}

describe('resolveScenario', () => {
  it('fills every default of a minimal file', () => {
    expect(resolved(minimal())).toEqual({
      name: 'min', description: '', seed: 1, durationMs: 60000,
      broker: { id: 'broker', profile: 'spec', serverKeepAliveSeconds: null, maxKeepAliveSeconds: null, tcpKeepAlive: null, tcp: LINUX_6_1, persistence: null },
      clients: [{
        id: 'c1', clientId: 'c1', protocol: '3.1.1', library: 'mqttjs-5', keepAliveSeconds: 60,
        cleanStart: true, sessionExpirySeconds: 0, will: null, subscriptions: [], publish: [],
        connectAtMs: 0, connectWindow: null, reconnect: null, tcpKeepAlive: null, tcp: LINUX_6_1,
      }],
      links: [{ between: ['c1', 'broker'], latencyMs: 10, jitterMs: 0, loss: 0, natIdleTimeoutMs: null }],
      actions: [], expect: [],
    });
  });

  it('keeps every value the contract example gives', () => {
    const r = resolved(contractExample());
    expect(r.seed).toBe(7);
    expect(r.broker).toEqual({ id: 'broker', profile: 'spec', serverKeepAliveSeconds: 30, maxKeepAliveSeconds: 600, tcpKeepAlive: null, tcp: LINUX_6_1, persistence: null });
    expect(r.clients[0]).toEqual({
      id: 'sensor', clientId: 'sensor-1', protocol: '3.1.1', library: 'mqttjs-5', keepAliveSeconds: 10,
      cleanStart: true, sessionExpirySeconds: 0,
      will: { topic: 'status/sensor-1', payload: 'offline', qos: 1, retain: false, delaySeconds: 0 },
      subscriptions: [{ topic: 'status/#', qos: 1 }],
      publish: [{ topic: 't/temp', payload: '21.5', qos: 0, retain: false, everyMs: 5000, startMs: 1000 }],
      connectAtMs: 0, connectWindow: null, reconnect: { delayMs: 1000, backoff: 1, maxDelayMs: 86_400_000, jitter: 0 }, tcpKeepAlive: null, tcp: LINUX_6_1,
    });
    expect(r.links).toEqual([{ between: ['sensor', 'broker'], latencyMs: 10, jitterMs: 0, loss: 0, natIdleTimeoutMs: 30000 }]);
  });

  it('defaults a Will to qos 0, retain false, delay 0; subscriptions and publish to qos 0', () => {
    const s = minimal();
    s.clients[0]!.will = { topic: 'w', payload: 'p' };
    s.clients[0]!.subscriptions = [{ topic: 'a/#' }];
    s.clients[0]!.publish = [{ topic: 'a', payload: 'x', everyMs: 100 }];
    const c = resolved(s).clients[0]!;
    expect(c.will).toEqual({ topic: 'w', payload: 'p', qos: 0, retain: false, delaySeconds: 0 });
    expect(c.subscriptions).toEqual([{ topic: 'a/#', qos: 0 }]);
    expect(c.publish).toEqual([{ topic: 'a', payload: 'x', qos: 0, retain: false, everyMs: 100, startMs: 0 }]);
  });

  it('gives one link per client in client order, matching either order, defaults otherwise', () => {
    const s = rich();
    s.clients.push({ id: 'c' });
    const r = resolved(s);
    expect(r.links).toEqual([
      { between: ['a', 'broker'], latencyMs: 20, jitterMs: 15, loss: 0.05, natIdleTimeoutMs: null },
      { between: ['b', 'broker'], latencyMs: 10, jitterMs: 0, loss: 0, natIdleTimeoutMs: 20000 },
      { between: ['c', 'broker'], latencyMs: 10, jitterMs: 0, loss: 0, natIdleTimeoutMs: null },
    ]);
  });

  it('sorts actions by atMs, ties in file order', () => {
    const r = resolved(rich());
    expect(r.actions.map((a) => `${a.atMs}:${a.do}:${'node' in a ? a.node : a.link.join('-')}`)).toEqual([
      '5000:publish:b', '5000:publish:a', '30000:cut:a-broker', '40000:heal:a-broker', '45000:set-link:broker-b',
      '50000:disconnect:a', '55000:connect:a', '60000:crash:broker', '61000:restart:broker',
      '70000:power-off:b', '75000:power-on:b',
    ]);
  });

  it('resolves the extensions of the rich fixture: tcp per host, microseconds as ms', () => {
    const r = resolved(rich());
    expect(r.broker.tcp).toEqual({ ...LINUX_6_1, retries2: 8 });
    expect(r.clients.map((c) => c.tcp)).toEqual([
      { ...LINUX_6_1, kernel: 'linux-6.12', synLinearTimeouts: 4, userTimeoutMs: 30000 }, LINUX_6_1,
    ]);
    expect(r.actions.find((a) => a.do === 'set-link')).toEqual({ atMs: 45000, do: 'set-link', link: ['broker', 'b'], jitterMs: 0.5, loss: 0.1 });
  });

  it('keeps reconnect false, and null means the library default', () => {
    const r = resolved(rich());
    expect(r.clients.map((c) => c.reconnect)).toEqual([null, false]);
  });

  it('fills SO_KEEPALIVE with the Linux defaults 7200/75/9 when asked for, null when off', () => {
    const s = minimal();
    s.broker.tcpKeepAlive = { idleSeconds: 60 };
    s.clients[0]!.tcpKeepAlive = false;
    const r = resolved(s);
    expect(r.broker.tcpKeepAlive).toEqual({ idleSeconds: 60, intervalSeconds: 75, probes: 9 });
    expect(r.clients[0]!.tcpKeepAlive).toBeNull();
  });

  it('shares no objects with the parsed file', () => {
    const s = rich();
    const parsed = parseScenario(s);
    if (!parsed.ok) throw new Error('invalid');
    const r = resolveScenario(parsed.scenario);
    (parsed.scenario.actions![0] as { link: string[] }).link[0] = 'zzz';
    expect(r.actions.some((a) => 'link' in a && a.link[0] === 'zzz')).toBe(false);
  });
});
