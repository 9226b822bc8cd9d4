/**
 * A broker stopped by SIGSTOP (action pause) is part of the world: the fault menu offers
 * Resume only while it is paused, and the invariant checker defers the broker's reaction to a
 * close until resume. The paired check compares it with the simulator's own processor after
 * every engine event, so a reducer that forgot a pause (or a crash ending one) fails here.
 */
import { describe, expect, it } from 'vitest';
import { parseScenarioText, resolveScenario, runScenario } from '../../sim/index.ts';
import { worldAt } from '../../sim/world/index.ts';
import { lastIndexAtOrBefore } from '../../app/model/cursor.ts';
import { nodeFaults } from '../../app/controls/faultMenu.ts';

const text = JSON.stringify({
  format: 'halfopen/scenario', version: 1, name: 'pause, resume, pause, crash', seed: 3, durationMs: 40_000,
  broker: { id: 'broker', profile: 'mosquitto-2.0' },
  clients: [{ id: 'sensor', keepAliveSeconds: 5 }],
  actions: [
    { atMs: 5_000, do: 'pause', node: 'broker' }, { atMs: 10_000, do: 'resume', node: 'broker' },
    { atMs: 20_000, do: 'pause', node: 'broker' }, { atMs: 25_000, do: 'crash', node: 'broker' },
    { atMs: 30_000, do: 'restart', node: 'broker' },
  ],
});

describe('sim/world: a paused broker', () => {
  const parsed = parseScenarioText(text);
  if (!parsed.ok) throw new Error('scenario');
  const resolved = resolveScenario(parsed.scenario);
  const { trace } = runScenario(resolved, { pairedCheck: true });
  const at = (tMs: number) => worldAt(trace, resolved, lastIndexAtOrBefore(trace, tMs), tMs).nodes['broker']!;

  it('is paused from pause to resume, and again until the crash; a restart runs', () => {
    expect([1_000, 6_000, 11_000, 21_000, 26_000, 31_000].map((t) => at(t).paused)).toEqual([false, true, false, true, false, false]);
  });

  it('the broker menu offers Pause while it runs and Resume while it is paused, never both', () => {
    const labels = (t: number) => nodeFaults('broker', 'broker', at(t)).map((i) => i.label).filter((l) => /Pause|Resume/.test(l));
    expect(labels(1_000)).toEqual(['Pause (SIGSTOP)']);
    expect(labels(6_000)).toEqual(['Resume (SIGCONT)']);
    expect(labels(11_000)).toEqual(['Pause (SIGSTOP)']);
  });
});
