/**
 * While a long run computes in the worker (a fleet of 100,000 devices takes minutes): how far
 * it has got in simulated time, how many events, how long so far and roughly how long is
 * left, and a button that cancels it (the worker is stopped; app/worker/runner.ts cancel).
 * Shown from the worker's first progress message (~250 ms into a run): short runs never show it.
 */
import type { JSX } from 'react';
import { useApp, getAppStore } from '../store/store.ts';
import { roughCount } from '../model/estimate.ts';
import { useRunProgress } from './progress.ts';
import { FLEET_CLI } from './mode.ts';

const secs = (ms: number): string => `${Math.round(ms / 1000).toLocaleString('en-US')} s`;

export function RunProgress(): JSX.Element | null {
  const p = useRunProgress();
  const running = useApp((s) => s.runStatus === 'running');
  const name = useApp((s) => s.scenario.name);
  if (!running || p === null) return null;
  const done = p.durationMs > 0 ? Math.min(1, p.tMs / p.durationMs) : 0;
  // Linear in simulated time: a storm's busy minutes make it a guess, said as one.
  const left = done > 0.02 ? (p.elapsedMs * (1 - done)) / done : null;
  return (
    <div className="run-progress" role="group" aria-label="Simulation progress">
      <span className="run-progress-text">
        Simulating “{name}”: <b>{secs(p.tMs)}</b> of {secs(p.durationMs)} simulated ({Math.floor(done * 100)}%),
        {' '}{roughCount(p.events)} events, {secs(p.elapsedMs)} so far{left !== null ? `, about ${secs(left)} left` : ''}.
      </span>
      <progress max={1000} value={Math.round(done * 1000)} aria-label="Simulated time computed" />
      <button type="button" onClick={() => getAppStore().getState().cancelRun()}
        title={`Stops the simulation in this tab. The command line runs any fleet whole: ${FLEET_CLI}`}>Cancel run</button>
    </div>
  );
}
