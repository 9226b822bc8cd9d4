/**
 * The world at the cursor, shared by Topology and Inspector: one sim/world `World` per run,
 * made when the run installs and held in the store (`cursorWorld`, app/store/runSlice.ts), so
 * moving the cursor costs only the events in between (its undo journal), and both views (and
 * every re-render at the same cursor) get the same object.
 */
import { World } from '../../sim/index.ts';
import type { ResolvedScenario, TraceEvent, WorldView } from '../../sim/index.ts';

export interface CursorWorld {
  /** The world after events 0..seq, its timers counted down to cursorMs. */
  at(seq: number, cursorMs: number): WorldView;
}

export function cursorWorld(resolved: ResolvedScenario, trace: readonly TraceEvent[]): CursorWorld {
  const world = new World(resolved, trace);
  let last: { seq: number; cursorMs: number; view: WorldView } | null = null;
  return {
    at(seq, cursorMs) {
      if (last !== null && last.seq === seq && last.cursorMs === cursorMs) return last.view;
      world.seek(seq);
      last = { seq, cursorMs, view: world.view(cursorMs) };
      return last.view;
    },
  };
}
