/**
 * The world at the cursor, shared by Topology and Inspector: sim/world's worldAt memoised on its inputs, so
 * both views (and every re-render at the same cursor) get the same object. The store's hook
 * (store/useWorldView.ts) passes the inputs.
 */
import type { ResolvedScenario, TraceEvent } from '../../sim/index.ts';
import { worldAt } from '../../sim/index.ts';
import type { WorldView } from '../../sim/index.ts';

let last: { key: unknown[]; view: WorldView } | null = null;

export function worldViewAt(
  trace: readonly TraceEvent[], resolved: ResolvedScenario, cursorSeq: number, cursorMs: number,
): WorldView {
  const key = [trace, resolved, cursorSeq, cursorMs];
  const prev = last;
  if (prev !== null && key.every((k, i) => k === prev.key[i])) return prev.view;
  const view = worldAt(trace, resolved, cursorSeq, cursorMs);
  last = { key, view };
  return view;
}
