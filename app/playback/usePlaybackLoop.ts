/**
 * The only wall-clock code of the app: while playing, a requestAnimationFrame loop turns
 * elapsed wall time × speed into virtual time and hands it to the store's `advance`.
 * A gap longer than 250 ms (background tab, breakpoint in devtools) is skipped, not replayed.
 */
import { useEffect } from 'react';
import { getAppStore, useApp } from '../store/store.ts';

const MAX_FRAME_MS = 250;

export function usePlaybackLoop(): void {
  const playing = useApp((s) => s.playing);
  useEffect(() => {
    if (!playing) return;
    const store = getAppStore();
    let last = performance.now();
    let frame = requestAnimationFrame(function tick(now) {
      const wall = now - last;
      last = now;
      if (wall <= MAX_FRAME_MS) store.getState().advance(wall * store.getState().speed);
      if (store.getState().playing) frame = requestAnimationFrame(tick);
    });
    return () => cancelAnimationFrame(frame);
  }, [playing]);
}
