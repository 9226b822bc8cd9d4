/**
 * The store's editScenario (the editor's timed actions, subscriptions, publishing and
 * expectations): a valid edit is applied and re-run; an invalid one stays a draft with the
 * validator's problems at their JSON paths, and the last valid scenario keeps its run.
 */
import { describe, it, expect } from 'vitest';
import { createAppStore } from '../../app/store/store.ts';
import { simulate, capture } from '../../app/worker/simulate.ts';
import type { SimRunner } from '../../app/worker/runner.ts';
import { DEFAULT_SCENARIO } from '../../app/defaultScenario.ts';
import type { Action, Scenario } from '../../sim/index.ts';

const runner: SimRunner = { run: async (s) => simulate(s), capture: async (s) => capture(s) };

async function settle(store: ReturnType<typeof createAppStore>): Promise<void> {
  for (let i = 0; i < 100 && store.getState().runStatus !== 'ready'; i++) await new Promise((r) => setTimeout(r, 5));
  expect(store.getState().runStatus).toBe('ready');
}

async function ready() {
  const store = createAppStore(runner, DEFAULT_SCENARIO);
  store.getState().loadScenario(DEFAULT_SCENARIO, 'test');
  await settle(store);
  return store;
}

describe('store: editScenario', () => {
  it('applies a timed action and an expectation, and the new run checks it', async () => {
    const store = await ready();
    const s = store.getState;
    const client = DEFAULT_SCENARIO.clients[0]!.id;
    s().editScenario((d: Scenario) => {
      d.actions = [...(d.actions ?? []), { atMs: 5000, do: 'crash', node: client } as Action];
      d.expect = [{ kind: 'host.state', where: { node: client, state: 'crashed' }, count: 1, betweenMs: [5000, 5000] }];
    });
    expect(s().draft).toBeNull();
    await settle(store);
    expect(s().trace.some((e) => e.kind === 'host.state' && (e as { state?: string }).state === 'crashed' && e.tMs === 5000)).toBe(true);
    expect(s().expectations).toEqual([expect.objectContaining({ index: 0, ok: true })]);
  });

  it('keeps an invalid subscription as a draft with its path, and the last valid scenario', async () => {
    const store = await ready();
    const s = store.getState;
    const before = s().scenario;
    s().editScenario((d) => { d.clients[0]!.subscriptions = [{ topic: 'a/#/b', qos: 1 }]; });
    expect(s().scenario).toBe(before);
    expect(s().draft?.clients[0]!.subscriptions).toEqual([{ topic: 'a/#/b', qos: 1 }]);
    expect(s().draftProblems.map((p) => p.path)).toEqual(['clients[0].subscriptions[0].topic']);
    s().editScenario((d) => { d.clients[0]!.subscriptions = [{ topic: 'a/#', qos: 1 }]; });
    expect(s().draft).toBeNull();
    expect(s().scenario.clients[0]!.subscriptions).toEqual([{ topic: 'a/#', qos: 1 }]);
  });
});
