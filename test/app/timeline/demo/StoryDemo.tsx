/**
 * A fixture-driven demo of the sequence diagram: the hand-made story trace with a cursor,
 * selection and seeking wired up the way the app wires them. Rendered by the happy-dom test
 * and, for screenshots, by demo/index.html (served with `vite demo` in this folder).
 */
import { useState } from 'react';
import type { JSX } from 'react';
import type { TraceEvent } from '../../../../sim/index.ts';
import { SequenceDiagram } from '../../../../app/timeline/SequenceDiagram.tsx';
import { buildStoryTrace, STORY_DURATION_MS, STORY_NODES } from '../storyTrace.ts';

/** Index of the last event at or before tMs (-1 before the first). */
export function seqAt(trace: readonly TraceEvent[], tMs: number): number {
  let lo = 0;
  let hi = trace.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if ((trace[mid] as TraceEvent).tMs <= tMs) lo = mid + 1;
    else hi = mid;
  }
  return lo - 1;
}

export interface StoryDemoProps {
  trace?: TraceEvent[];
  nodes?: string[];
  durationMs?: number;
  initialCursorMs?: number;
  onSelect?: (seq: number) => void;
}

export function StoryDemo(props: StoryDemoProps): JSX.Element {
  const [trace] = useState(() => props.trace ?? buildStoryTrace());
  const nodes = props.nodes ?? STORY_NODES;
  const durationMs = props.durationMs ?? STORY_DURATION_MS;
  const [cursorMs, setCursorMs] = useState(props.initialCursorMs ?? 75_000);
  const [selectedSeq, setSelectedSeq] = useState<number | null>(null);
  return (
    <div style={{ width: 1250, height: 380, border: '1px solid #ccc' }} role="region" aria-label="Timeline">
      <SequenceDiagram trace={trace} nodes={nodes} durationMs={durationMs}
        cursorMs={cursorMs} cursorSeq={seqAt(trace, cursorMs)} selectedSeq={selectedSeq}
        onSelectEvent={(seq) => {
          setSelectedSeq(seq);
          setCursorMs(trace[seq]?.tMs ?? cursorMs);
          props.onSelect?.(seq);
        }}
        onSeek={setCursorMs} />
    </div>
  );
}
