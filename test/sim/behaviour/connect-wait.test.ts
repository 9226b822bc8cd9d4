import { describe, expect, it } from 'vitest';
import type { BrokerProfileName } from '../../../sim/scenario/types.ts';
import { run, scenario } from './helpers.ts';

/**
 * A device whose CONNECT never arrives: the link loses half the segments and the device loses
 * power 100 ms after it started, before TCP could retransmit. The first seed (from 1) in which
 * the handshake completed at the broker but the CONNECT was lost is used, so the test does not
 * hang on one seed's draws; what is asserted holds for any such run.
 */
function silentConnection(profile: BrokerProfileName) {
  for (let seed = 1; seed <= 200; seed++) {
    const r = run(scenario({
      seed, durationMs: 200_000, broker: { id: 'broker', profile },
      clients: [{ id: 'device', keepAliveSeconds: 10, reconnect: false }],
      links: [{ between: ['device', 'broker'], latencyMs: 10, loss: 0.5 }],
      actions: [{ atMs: 100, do: 'power-off', node: 'device' }],
    }));
    const open = r.events('conn.open', { node: 'broker' });
    if (open.length === 1 && r.events('mqtt.recv', { node: 'broker', packet: 'CONNECT' }).length === 0) {
      return { r, acceptedMs: open[0]!.tMs, conn: open[0]!.conn as string };
    }
  }
  throw new Error('no seed in 1..200 lost the CONNECT after a complete handshake');
}

describe('the broker waits for CONNECT (profile connectWait)', () => {
  it('aedes closes a connection that sent no CONNECT after its 30 s connectTimeout (behaviour.md §4)', () => {
    const { r, acceptedMs, conn } = silentConnection('aedes');
    const [t] = r.events('broker.connect-timeout');
    expect(t).toMatchObject({ conn, waitedMs: 30_000, profile: 'aedes' });
    expect(t!.tMs).toBe(acceptedMs + 30_000);
    const closed = r.events('conn.closed', { node: 'broker', conn });
    expect(closed[0]!.tMs).toBe(t!.tMs);
    expect(r.events('timer.set', { node: 'broker', timer: 'broker.connect-wait' })[0]!.dueMs).toBe(acceptedMs + 30_000);
  });

  it('mosquitto 2.0 closes it on its keep-alive scan with the default K = 60 s (now_s - last_in_s > 90)', () => {
    const { r, acceptedMs } = silentConnection('mosquitto-2.0');
    const [t] = r.events('broker.connect-timeout');
    expect(t).toBeDefined();
    // The scan runs every 6 whole seconds: the close falls in (90, 97] s after the accept.
    expect(t!.waitedMs).toBeGreaterThan(90_000);
    expect(t!.waitedMs).toBeLessThanOrEqual(97_000);
    expect(t!.tMs).toBe(acceptedMs + (t!.waitedMs as number));
  });

  it('spec sets no limit: the silent connection stays open at the broker', () => {
    const { r, conn } = silentConnection('spec');
    expect(r.events('broker.connect-timeout')).toHaveLength(0);
    expect(r.events('conn.closed', { node: 'broker', conn })).toHaveLength(0);
  });

  it('a CONNECT that arrives ends the wait (timer cleared, nothing closes)', () => {
    const r = run(scenario({
      durationMs: 60_000, broker: { id: 'broker', profile: 'aedes' },
      clients: [{ id: 'device', keepAliveSeconds: 10 }],
    }));
    expect(r.events('timer.set', { node: 'broker', timer: 'broker.connect-wait' })).toHaveLength(1);
    expect(r.events('timer.clear', { node: 'broker', timer: 'broker.connect-wait' })).toHaveLength(1);
    expect(r.events('broker.connect-timeout')).toHaveLength(0);
  });
});
