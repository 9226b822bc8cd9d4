/**
 * The one place the UI thread builds a sequence layout: when the run's own (built in the
 * worker, held in the store as `derived.layout`) was made for other lanes or another duration
 * (a client added while its re-run is still in the worker; tests that render a bare trace).
 * The perf test (test/e2e/perf.test.ts) sets `layoutBuilds` to see layouts built here.
 */
import type { TraceEvent } from '../../sim/index.ts';
import type { SequenceLayout } from '../view-model/layoutTypes.ts';
import { buildSequenceLayout } from '../view-model/sequenceLayout.ts';

export function layoutOnUiThread(
  trace: readonly TraceEvent[], nodes: readonly string[], durationMs: number,
): SequenceLayout {
  const hook = (globalThis as { __halfopenTimelinePerf?: { layoutBuilds?: number[] } }).__halfopenTimelinePerf;
  const started = performance.now();
  const layout = buildSequenceLayout(trace, nodes, durationMs);
  hook?.layoutBuilds?.push(performance.now() - started);
  return layout;
}
