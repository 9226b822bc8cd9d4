import { describe, expect, it } from 'vitest';
import type { Action, BrokerProfileName, ClientSpec } from '../../../sim/scenario/types.ts';
import { run, scenario } from './helpers.ts';

/** Small deterministic PRNG for building worlds (the simulator has its own streams). */
function lcg(seed: number) {
  let s = seed >>> 0;
  return (n: number) => { s = (Math.imul(s, 1664525) + 1013904223) >>> 0; return s % n; };
}

const profiles: BrokerProfileName[] = ['spec', 'mosquitto-2.0', 'aedes'];

function world(seed: number) {
  const r = lcg(seed);
  const profile = profiles[r(3)]!;
  const clients: ClientSpec[] = [];
  const n = 2 + r(3);
  for (let i = 0; i < n; i++) {
    const protocol = profile === 'aedes' || r(2) === 0 ? '3.1.1' : '5.0';
    clients.push({
      id: `n${i}`, clientId: `id-${r(2)}`, protocol, library: r(2) ? 'mqttjs-5' : 'paho-python',
      keepAliveSeconds: 1 + r(10), cleanStart: r(2) === 0,
      sessionExpirySeconds: protocol === '5.0' ? r(3) * 5 : 0,
      will: { topic: `status/n${i}`, payload: 'offline', qos: r(3) as 0 | 1 | 2, retain: r(2) === 0,
        delaySeconds: protocol === '5.0' ? r(3) * 2 : 0 },
      subscriptions: [{ topic: 'status/#', qos: r(3) as 0 | 1 | 2 }],
      publish: [{ topic: `t/n${i}`, payload: 'x', qos: r(3) as 0 | 1 | 2, everyMs: 700 + r(3000) }],
      connectAtMs: r(2000),
    });
  }
  const nodes = ['broker', ...clients.map((c) => c.id)];
  const actions: Action[] = [];
  for (let t = 1000; t < 55_000; t += 1000 + r(6000)) {
    const node = nodes[r(nodes.length)]!;
    const client = clients[r(clients.length)]!.id;
    switch (r(8)) {
      case 0: actions.push({ atMs: t, do: 'power-off', node }, { atMs: t + r(8000), do: 'power-on', node }); break;
      case 1: actions.push({ atMs: t, do: 'crash', node }, { atMs: t + r(8000), do: 'restart', node }); break;
      case 2: actions.push({ atMs: t, do: 'cut', link: [client, 'broker'] }, { atMs: t + r(20000), do: 'heal', link: [client, 'broker'] }); break;
      case 3: actions.push({ atMs: t, do: 'disconnect', node: client, reasonCode: [0, 4, 0x80][r(3)]! }); break;
      case 4: actions.push({ atMs: t, do: 'connect', node: client }); break;
      case 5: actions.push({ atMs: t, do: 'set-link', link: [client, 'broker'], latencyMs: 1 + r(200), loss: r(3) / 10 }); break;
      default: actions.push({ atMs: t, do: 'publish', node: client, topic: 'status/x', payload: 'p', qos: r(3) as 0 | 1 | 2, retain: true });
    }
  }
  return scenario({
    seed, durationMs: 60_000, broker: { id: 'broker', profile }, clients,
    links: clients.map((c) => ({ between: [c.id, 'broker'] as [string, string], latencyMs: 1 + r(50), jitterMs: r(20), loss: r(2) ? 0 : 0.05 })),
    actions,
  });
}

const totals = { takeovers: 0, wills: 0, expired: 0, timeouts: 0 };

describe('swarm: random worlds keep every invariant', () => {
  for (let seed = 1; seed <= 30; seed++) {
    it(`seed ${seed}`, () => {
      const r = run(world(seed));
      expect(r.trace[r.trace.length - 1]!.kind).toBe('run.end');
      totals.takeovers += r.events('broker.takeover').length;
      totals.wills += r.events('will.published').length;
      totals.expired += r.events('broker.keepalive-expired').length;
      totals.timeouts += r.events('client.keepalive-timeout').length;
    });
  }
  it('the worlds exercise takeovers, Wills and both keep-alive sides', () => {
    expect(totals.takeovers).toBeGreaterThan(0);
    expect(totals.wills).toBeGreaterThan(0);
    expect(totals.expired).toBeGreaterThan(0);
    expect(totals.timeouts).toBeGreaterThan(0);
  });
});
