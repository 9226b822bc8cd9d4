/**
 * Keyboard shortcuts: Space play/pause, ←/→ step, Shift+←/→ previous/next notable event.
 * Ignored while typing in a form field, so editing a scenario never moves the cursor.
 */
import { useEffect } from 'react';
import { getAppStore } from '../store/store.ts';

export const SHORTCUTS: readonly [string, string][] = [
  ['Space', 'Play / Pause'],
  ['→', 'Step forward (next event shown in the log)'],
  ['←', 'Step back'],
  ['Shift + →', 'Next notable event (connect, takeover, keep-alive expiry, Will…)'],
  ['Shift + ←', 'Previous notable event'],
];

function typing(target: EventTarget | null): boolean {
  if (!(target instanceof HTMLElement)) return false;
  const tag = target.tagName;
  return tag === 'INPUT' || tag === 'TEXTAREA' || tag === 'SELECT' || target.isContentEditable;
}

export function useKeyboardShortcuts(): void {
  useEffect(() => {
    const onKey = (ev: KeyboardEvent): void => {
      if (typing(ev.target) || ev.ctrlKey || ev.metaKey || ev.altKey) return;
      const s = getAppStore().getState();
      if (ev.key === ' ') {
        // A focused button would also "click" on Space: handle it once, here.
        ev.preventDefault();
        s.togglePlay();
      } else if (ev.key === 'ArrowRight') {
        ev.preventDefault();
        if (ev.shiftKey) s.nextNotable(); else s.stepForward();
      } else if (ev.key === 'ArrowLeft') {
        ev.preventDefault();
        if (ev.shiftKey) s.prevNotable(); else s.stepBack();
      }
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, []);
}
