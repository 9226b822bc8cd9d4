/**
 * Clients and broker sessions start with the shared empty Map (sim/empty-map.ts) and take
 * their own on the first write: one device's entry must never show in another's, and a write
 * to the shared one must fail loudly. The QoS 1/2 and subscription behaviour tests run every
 * write site (client outgoing and QoS 2 holds, session subscriptions and in-flight messages).
 */
import { describe, expect, it } from 'vitest';
import { emptyMap, own } from '../../../sim/empty-map.ts';
import { parseScenario, resolveScenario, runScenario } from '../../../sim/index.ts';

describe('the shared empty Map', () => {
  it('reads as empty, refuses writes, and own() gives each writer a Map of its own', () => {
    const a = emptyMap<number, string>();
    const b = emptyMap<string, number>();
    expect(a).toBe(b as unknown);
    expect(a.size).toBe(0);
    expect(a.get(1)).toBeUndefined();
    expect(a.delete(1)).toBe(false);
    expect(() => a.set(1, 'x')).toThrow(/shared empty Map/);
    const mine = own(a);
    const yours = own(a);
    expect(mine).not.toBe(a);
    expect(mine).not.toBe(yours);
    mine.set(1, 'x');
    expect(own(mine)).toBe(mine);
    expect(a.size).toBe(0);
    expect(yours.size).toBe(0);
  });

  it('two devices with QoS 2 traffic both ways keep their own state', () => {
    const p = parseScenario({
      format: 'halfopen/scenario', version: 1, name: 'two devices, QoS 2 both ways', seed: 2, durationMs: 20_000,
      broker: { id: 'broker', profile: 'mosquitto-2.0' },
      clients: [
        { id: 'a', subscriptions: [{ topic: 't/#', qos: 2 }], publish: [{ topic: 't/a', payload: 'x', everyMs: 1000, qos: 2 }] },
        { id: 'b', subscriptions: [{ topic: 't/#', qos: 1 }], publish: [{ topic: 't/b', payload: 'y', everyMs: 1500, qos: 1 }] },
        { id: 'quiet' },
      ],
    });
    if (!p.ok) throw new Error(JSON.stringify(p.problems));
    const trace = runScenario(resolveScenario(p.scenario), { checkInvariants: true }).trace;
    const count = (node: string, packet: string): number =>
      trace.filter((e) => e.kind === 'mqtt.recv' && e.node === node && (e as { packet?: string }).packet === packet).length;
    // Every QoS 2 message a got was released and completed; b's QoS 1 ones acknowledged.
    expect(count('a', 'PUBREL')).toBeGreaterThan(10);
    expect(count('a', 'PUBCOMP')).toBeGreaterThan(10);
    expect(count('b', 'PUBACK')).toBeGreaterThan(8);
    expect(count('quiet', 'PUBLISH')).toBe(0);
  });
});
