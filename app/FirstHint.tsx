/**
 * One line for a first-time visitor: what the picture is and what to press. It goes away on
 * its own as soon as the cursor moves (Play, a step, a click on the timeline), or with ✕.
 */
import { useState } from 'react';
import type { JSX } from 'react';
import { useApp } from './store/store.ts';

export function FirstHint(): JSX.Element | null {
  const moved = useApp((s) => s.cursorSeq >= 0 || s.playing);
  const [closed, setClosed] = useState(false);
  if (moved || closed) return null;
  return (
    <p className="first-hint" role="note">
      <strong>What you are looking at:</strong> one row per device, time left to right, arrows are
      packets; green bars are connections as each side believes them. Press <kbd>Space</kbd> to play
      or <kbd>Shift</kbd>+<kbd>→</kbd> to jump to the next notable event; the Inspector shows what the
      broker believes.
      <button type="button" className="icon" aria-label="Hide this hint" onClick={() => setClosed(true)}>✕</button>
    </p>
  );
}
