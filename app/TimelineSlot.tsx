/**
 * The Timeline region's content: the sequence diagram from app/timeline/ (built separately)
 * when it exists, otherwise a placeholder. import.meta.glob finds it at build time without
 * breaking the build while the file is missing.
 */
import { useMemo } from 'react';
import type { JSX } from 'react';
import { useShallow } from 'zustand/react/shallow';
import type { TraceEvent } from '../sim/index.ts';
import { useApp, getAppStore, nodeIds } from './store/store.ts';
import { formatMs } from './model/format.ts';
import { faultBandsFor } from './model/faults.ts';
import { useFleetFocus } from './fleet/focus.ts';

export interface SequenceDiagramProps {
  trace: TraceEvent[]; nodes: string[]; durationMs: number;
  cursorMs: number; cursorSeq: number;
  selectedSeq: number | null; onSelectEvent(seq: number): void; onSeek(tMs: number): void;
  faults?: { fromMs: number; toMs: number; label: string; node?: string; link?: [string, string] }[];
}

type DiagramModule = { SequenceDiagram?: (props: SequenceDiagramProps) => JSX.Element };
const found = import.meta.glob<DiagramModule>('./timeline/SequenceDiagram.tsx', { eager: true });
const SequenceDiagram = Object.values(found)[0]?.SequenceDiagram ?? null;

function Placeholder(props: SequenceDiagramProps): JSX.Element {
  const x = props.durationMs > 0 ? (props.cursorMs / props.durationMs) * 100 : 0;
  return (
    <div className="timeline-placeholder"
      onClick={(ev) => {
        const r = ev.currentTarget.getBoundingClientRect();
        props.onSeek(((ev.clientX - r.left) / r.width) * props.durationMs);
      }}>
      <p>Sequence diagram goes here ({props.trace.length} events, {props.nodes.join(', ')}).
        Click to seek.</p>
      <div className="timeline-placeholder-cursor" style={{ left: `${x}%` }} />
      <span className="timeline-placeholder-time">{formatMs(props.cursorMs)}</span>
    </div>
  );
}

export function TimelineSlot(): JSX.Element {
  const s = useApp(useShallow((st) => ({
    trace: st.trace, durationMs: st.durationMs, cursorMs: st.cursorMs, cursorSeq: st.cursorSeq,
    selectedSeq: st.selectedSeq,
  })));
  const allNodes = useApp((st) => nodeIds(st.scenario));
  // Fleet drill-down (app/fleet/focus.ts): that device's lane first, under the broker.
  const focus = useFleetFocus();
  const nodes = useMemo(() => (focus !== null && allNodes.includes(focus) ? [allNodes[0]!, focus] : allNodes), [allNodes, focus]);
  const run = useApp(useShallow((st) => ({ status: st.runStatus, message: st.runMessage, name: st.scenario.name })));
  const faults = useMemo(() => faultBandsFor(s.trace, s.durationMs, nodes), [s.trace, s.durationMs, nodes]);
  const store = getAppStore();
  const props: SequenceDiagramProps = {
    trace: s.trace, nodes, durationMs: s.durationMs, cursorMs: s.cursorMs, cursorSeq: s.cursorSeq,
    selectedSeq: s.selectedSeq, faults,
    onSelectEvent: (seq) => store.getState().seekToEvent(seq),
    onSeek: (t) => { store.getState().pause(); store.getState().seek(t); },
  };
  if (run.status === 'error') {
    return (
      <div className="run-failed" role="note" aria-label="Run failed">
        <p><strong>No results for “{run.name}”: the run failed.</strong></p>
        <p>{run.message}</p>
      </div>
    );
  }
  if (run.status === 'running' && s.trace.length === 0) {
    return <div className="run-pending"><p>Simulating “{run.name}”…</p></div>;
  }
  return SequenceDiagram ? <SequenceDiagram {...props} /> : <Placeholder {...props} />;
}
