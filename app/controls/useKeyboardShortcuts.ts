/**
 * Keyboard shortcuts: Space play/pause, ←/→ step, Shift+←/→ previous/next notable event.
 * They work whatever has focus (the scrubber, the speed select, a checkbox, a button) — the
 * shortcut wins over the control's own use of the key — except while typing in a text field
 * (text, number and search inputs, textareas, contenteditable), so editing never moves the cursor.
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

const TEXT_INPUT_TYPES = new Set(['text', 'number', 'search', 'email', 'url', 'tel', 'password']);

/** True while the user types in a text field, where the keys belong to the field. */
export function typing(target: EventTarget | null): boolean {
  if (!(target instanceof HTMLElement)) return false;
  if (target.isContentEditable || target.tagName === 'TEXTAREA') return true;
  if (target instanceof HTMLInputElement) return TEXT_INPUT_TYPES.has(target.type);
  return false;
}

/**
 * A control reached with the keyboard (Tab) keeps its own keys: Space
 * for a button or checkbox, arrows for a select or slider — that is how it is operated
 * without a mouse. One that was clicked lets the shortcuts through.
 */
function controlKeepsKey(target: EventTarget | null, key: string): boolean {
  if (!(target instanceof HTMLElement)) return false;
  if (lastFocusBy === 'pointer') return false;
  const input = target instanceof HTMLInputElement ? target.type : '';
  if (key === ' ') {
    return target.tagName === 'BUTTON' || target.tagName === 'SUMMARY' || target.tagName === 'SELECT' ||
      input === 'checkbox' || input === 'radio' || target.getAttribute('role') === 'button' ||
      target.getAttribute('role') === 'menuitem' || target.getAttribute('role') === 'link';
  }
  return target.tagName === 'SELECT' || input === 'range' || input === 'radio' ||
    target.getAttribute('role') === 'menuitem';
}

/** How the focus last moved: a click (pointer) or the keyboard (Tab). Chromium reports a clicked
 * range input as :focus-visible, so this is tracked here. */
let lastFocusBy: 'pointer' | 'keyboard' = 'pointer';

export function useKeyboardShortcuts(): void {
  useEffect(() => {
    const onKey = (ev: KeyboardEvent): void => {
      if (typing(ev.target) || controlKeepsKey(ev.target, ev.key) || ev.ctrlKey || ev.metaKey || ev.altKey) return;
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
    const onPointer = (): void => { lastFocusBy = 'pointer'; };
    const onTab = (ev: KeyboardEvent): void => { if (ev.key === 'Tab') lastFocusBy = 'keyboard'; };
    window.addEventListener('pointerdown', onPointer, true);
    window.addEventListener('keydown', onTab, true);
    window.addEventListener('keydown', onKey, true);
    return () => {
      window.removeEventListener('pointerdown', onPointer, true);
      window.removeEventListener('keydown', onTab, true);
      window.removeEventListener('keydown', onKey, true);
    };
  }, []);
}
