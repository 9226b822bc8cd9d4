/**
 * After a `disconnect` action the library closes its socket a moment after the DISCONNECT
 * (client profile closeAfterDisconnectUs): MQTT.js 0.5 ms (a write callback, then the next
 * event-loop turn; measured 0.39-0.87 ms on real kernels), Paho Python at once. Who sends the
 * first FIN then depends on the link: on veth's 25 µs mosquitto's FIN comes first (the kernel
 * suite's clean-disconnect-mosquitto sees the same), on a 10 ms link the client's.
 */
import { describe, expect, it } from 'vitest';
import { parseScenario, resolveScenario, runScenario } from '../../../sim/index.ts';

function firstFins(library: string, latencyUs: number): { order: string; clientFinAfterDisconnectUs: number } {
  const p = parseScenario({
    format: 'halfopen/scenario', version: 1, name: 'goodbye', seed: 1, durationMs: 5_000,
    broker: { id: 'broker', profile: 'mosquitto-2.0' },
    clients: [{ id: 'sensor', library, keepAliveSeconds: 10 }],
    links: [{ between: ['sensor', 'broker'], latencyUs }],
    actions: [{ atMs: 2_000, do: 'disconnect', node: 'sensor' }],
  });
  if (!p.ok) throw new Error(JSON.stringify(p.problems));
  const trace = runScenario(resolveScenario(p.scenario)).trace;
  const fins = trace.filter((e) => e.kind === 'seg.send' && String((e as { flags?: string }).flags).includes('FIN'));
  const disc = trace.find((e) => e.kind === 'mqtt.send' && (e as { packet?: string }).packet === 'DISCONNECT')!;
  const clientFin = fins.find((e) => (e as { node?: string }).node === 'sensor')!;
  return {
    order: fins.map((e) => (e as { node?: string }).node).join(' '),
    clientFinAfterDisconnectUs: Math.round((clientFin.tMs - disc.tMs) * 1000),
  };
}

describe('who closes first after a clean DISCONNECT', () => {
  it('MQTT.js ends its socket 500 µs after the DISCONNECT: on a 25 µs link the broker FINs first', () => {
    // The broker's FIN is back after 50 µs and the client's socket answers it then (the simulator's
    // client reads an end of stream at once; the real one was still busy, FIN at 0.6-0.9 ms).
    expect(firstFins('mqttjs-5', 25)).toEqual({ order: 'broker sensor', clientFinAfterDisconnectUs: 50 });
  });
  it('on a 10 ms link the client is still first', () => {
    expect(firstFins('mqttjs-5', 10_000)).toEqual({ order: 'sensor broker', clientFinAfterDisconnectUs: 500 });
  });
  it('Paho Python closes with the DISCONNECT', () => {
    expect(firstFins('paho-python', 25)).toEqual({ order: 'sensor broker', clientFinAfterDisconnectUs: 0 });
  });
});
