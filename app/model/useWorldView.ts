/** The world at the cursor, shared by Topology and Inspector (memoised on its inputs). */
import { useShallow } from 'zustand/react/shallow';
import { useApp } from '../store/store.ts';
import { stateAt } from './stateAt.ts';
import type { WorldView } from './stateAt.ts';

let last: { key: unknown[]; view: WorldView | null } = { key: [], view: null };

export function useWorldView(): WorldView | null {
  const s = useApp(useShallow((st) => ({
    trace: st.trace, resolved: st.resolved, cursorSeq: st.cursorSeq, cursorMs: st.cursorMs,
  })));
  if (!s.resolved) return null;
  const key = [s.trace, s.resolved, s.cursorSeq, s.cursorMs];
  if (last.key.length === key.length && key.every((k, i) => k === last.key[i])) return last.view;
  const view = stateAt(s.trace, s.resolved, s.cursorSeq, s.cursorMs);
  last = { key, view };
  return view;
}
