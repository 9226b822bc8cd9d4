/** The world at the cursor, shared by Topology and Inspector (model/worldView.ts memoises it). */
import { useShallow } from 'zustand/react/shallow';
import { worldViewAt } from '../model/worldView.ts';
import type { WorldView } from '../../sim/index.ts';
import { useApp } from './store.ts';

export function useWorldView(): WorldView | null {
  const s = useApp(useShallow((st) => ({
    trace: st.trace, resolved: st.resolved, cursorSeq: st.cursorSeq, cursorMs: st.cursorMs,
  })));
  if (!s.resolved) return null;
  return worldViewAt(s.trace, s.resolved, s.cursorSeq, s.cursorMs);
}
