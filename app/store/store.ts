/**
 * The single zustand store, composed from three slices. `createAppStore` is vanilla (no
 * React), so the playback loop and the tests drive it directly; components read it through
 * `useApp(selector)`.
 */
import { createStore } from 'zustand/vanilla';
import { useStore } from 'zustand';
import { useShallow } from 'zustand/react/shallow';
import type { Scenario } from '../../sim/index.ts';
import type { SimRunner } from '../worker/runner.ts';
import { createRunSlice } from './runSlice.ts';
import { createScenarioSlice } from './scenarioSlice.ts';
import { createViewSlice } from './viewSlice.ts';
import type { AppState } from './types.ts';
import { laneIds } from '../fleet/sample.ts';
import { runsSampled } from '../model/estimate.ts';

export type AppStore = ReturnType<typeof createAppStore>;

export function createAppStore(runner: SimRunner, initial: Scenario) {
  return createStore<AppState>()((...a) => ({
    ...createScenarioSlice(initial, runner)(...a),
    ...createRunSlice(runner)(...a),
    ...createViewSlice(...a),
  }));
}

let appStore: AppStore | null = null;

/** The app's store; main.tsx installs it once. */
export function installStore(store: AppStore): void { appStore = store; }

export function getAppStore(): AppStore {
  if (!appStore) throw new Error('store not installed');
  return appStore;
}

export function useApp<T>(selector: (s: AppState) => T): T {
  return useStore(getAppStore(), selector);
}

/** Lane order of the nodes: broker first, then clients. */
export function nodeIds(scenario: Scenario): string[] {
  // A client group is its members (a sampled fleet run: a few of them, app/fleet/sample.ts).
  return laneIds(scenario, runsSampled(scenario));
}

/** The scenario's nodes in lane order, the same array for as long as the names are the same. */
export function useNodeIds(): string[] {
  return useApp(useShallow((st) => nodeIds(st.scenario)));
}

export const NO_ACTIONS: never[] = [];
