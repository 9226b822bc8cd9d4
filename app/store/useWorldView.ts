/** The world at the cursor, shared by Topology and Inspector (the run's `cursorWorld`, model/worldView.ts). */
import { useShallow } from 'zustand/react/shallow';
import type { WorldView } from '../../sim/index.ts';
import { useApp } from './store.ts';

export function useWorldView(): WorldView | null {
  const s = useApp(useShallow((st) => ({ world: st.cursorWorld, cursorSeq: st.cursorSeq, cursorMs: st.cursorMs })));
  return s.world ? s.world.at(s.cursorSeq, s.cursorMs) : null;
}
