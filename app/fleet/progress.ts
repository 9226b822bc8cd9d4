/**
 * How far the run in the worker has got (app/worker/runner.ts forwards the worker's progress
 * messages), or null when no run is computing or it has not reported yet. A small store of its
 * own, as focus.ts: it changes four times a second during a long run and only RunProgress
 * reads it, so the app's store (and every view subscribed to it) is not touched.
 */
import { createStore } from 'zustand/vanilla';
import { useStore } from 'zustand';
import type { RunProgressReport } from './runFleet.ts';

const progress = createStore<{ now: RunProgressReport | null }>(() => ({ now: null }));

export function setRunProgress(now: RunProgressReport | null): void { progress.setState({ now }); }
export function useRunProgress(): RunProgressReport | null { return useStore(progress, (s) => s.now); }
