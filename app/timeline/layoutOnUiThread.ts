/**
 * Sequence layouts computed ahead of render. The worker builds the layout right after the
 * simulation (app/worker/derived.ts) and the UI thread only installs it here, keyed by the
 * trace array it belongs to, so the diagram's first render after a re-run does not spend
 * ~120 ms on the UI thread building it. A layout is used only when it was built for the same
 * trace, lanes and duration; anything else (a lane added while its re-run is still in the
 * worker, tests that render a bare trace) is built on the spot, exactly as before.
 */
import type { TraceEvent } from '../../sim/index.ts';
import type { SequenceLayout } from '../view-model/layoutTypes.ts';
import { buildSequenceLayout } from '../view-model/sequenceLayout.ts';

interface Installed { nodesKey: string; durationMs: number; layout: SequenceLayout }

const installed = new WeakMap<readonly TraceEvent[], Installed>();

const keyOf = (nodes: readonly string[]): string => nodes.join('\u0000');

/** Records `layout` as buildSequenceLayout(trace, nodes, durationMs). */
export function installLayout(
  trace: readonly TraceEvent[], nodes: readonly string[], durationMs: number, layout: SequenceLayout,
): void {
  installed.set(trace, { nodesKey: keyOf(nodes), durationMs, layout });
}

/** The installed layout for these inputs, else a freshly built one. */
export function layoutFor(
  trace: readonly TraceEvent[], nodes: readonly string[], durationMs: number,
): SequenceLayout {
  const hit = installed.get(trace);
  if (hit && hit.durationMs === durationMs && hit.nodesKey === keyOf(nodes)) return hit.layout;
  // The perf test (test/e2e/perf.test.ts) sets `layoutBuilds` to see layouts built here.
  const hook = (globalThis as { __halfopenTimelinePerf?: { layoutBuilds?: number[] } }).__halfopenTimelinePerf;
  const started = performance.now();
  const layout = buildSequenceLayout(trace, nodes, durationMs);
  hook?.layoutBuilds?.push(performance.now() - started);
  return layout;
}
