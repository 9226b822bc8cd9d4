/**
 * The CLI feeds the fleet aggregator only the events it `wants` (sim/cli/simulate.ts builds no
 * object for the rest). That must give the very report the whole trace gives, on runs where
 * every counted path happens: SYN drops and listen-queue overflow (reconnect-storm), a proxy
 * closing idle flows (lb-idle-timeout), a group power cut with Wills (a group scenario). Fed
 * the engine's lent fields (addFields, RunOptions.onFields), as the CLI and the app feed it, too.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parseScenario, resolveScenario, runScenario } from '../../sim/index.ts';
import type { Kind } from '../../sim/index.ts';
import { FleetAggregator, FLEET_KINDS, fleetGroups, fleetReport } from '../../sim/fleet/index.ts';

const shipped = (f: string): unknown => JSON.parse(readFileSync(new URL(`../../public/scenarios/${f}`, import.meta.url), 'utf8'));

const groupCut = {
  format: 'halfopen/scenario', version: 1, name: 'group cut', seed: 5, durationMs: 90_000,
  broker: { id: 'broker', profile: 'mosquitto-2.0' },
  clients: [{ id: 'meter', count: 40, keepAliveSeconds: 10, connectAtMs: { fromMs: 0, toMs: 3000 },
    will: { topic: 'status/meter', payload: 'offline', qos: 1 } }],
  links: [{ between: ['meter', 'broker'], latencyMs: 20, loss: 0.05 }],
  actions: [{ atMs: 20_000, do: 'power-off', node: 'meter' }, { atMs: 50_000, do: 'power-on', node: 'meter' }],
};

describe('the fleet aggregator fed only what it wants', () => {
  it.each([
    ['reconnect-storm.json', shipped('reconnect-storm.json')],
    ['lb-idle-timeout.json', shipped('lb-idle-timeout.json')],
    ['a lossy group power cut', groupCut],
  ])('%s: the same report as from the whole trace', (_name, file) => {
    const p = parseScenario(file);
    if (!p.ok) throw new Error(JSON.stringify(p.problems));
    const resolved = resolveScenario(p.scenario);
    const { trace } = runScenario(resolved);
    const groups = fleetGroups(p.scenario);
    const whole = fleetReport(resolved, trace, { groups });
    const picky = new FleetAggregator(resolved, { groups });
    let fed = 0;
    for (const ev of trace) {
      if (!picky.wants(ev as unknown as { kind: string })) continue;
      expect(FLEET_KINDS).toContain(ev.kind);
      picky.add(ev);
      fed++;
    }
    expect(picky.finish()).toEqual(whole);
    // It is worth asking: most of the trace is never built for the summary.
    expect(fed).toBeLessThan(trace.length / 2);
    // As the CLI and the app's sampled run feed it: the engine's lent fields, no event object.
    const lent = new FleetAggregator(resolved, { groups });
    runScenario(resolved, {
      keepTrace: false, kinds: FLEET_KINDS as Kind[],
      onFields: (f, _seq, nowUs) => { if (lent.wants(f as unknown as { kind: string })) lent.addFields(f, nowUs / 1000); },
    });
    expect(lent.finish()).toStrictEqual(picky.finish());
  });
});
