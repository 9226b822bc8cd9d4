/**
 * The Timeline region's content: the sequence diagram from app/timeline/ (built separately)
 * when it exists, otherwise a placeholder. import.meta.glob finds it at build time without
 * breaking the build while the file is missing.
 */
import { useMemo } from 'react';
import type { JSX } from 'react';
import { useShallow } from 'zustand/react/shallow';
import type { TraceEvent } from '../sim/index.ts';
import { useApp, getAppStore, useNodeIds } from './store/store.ts';
import { formatMs } from './model/format.ts';
import { layoutForLanes } from './view-model/derive.ts';
import type { FaultBand } from './view-model/faults.ts';
import type { SequenceLayout } from './view-model/layoutTypes.ts';
import { setFleetFocus, useFleetFocus } from './fleet/focus.ts';
import { deviceFaults, deviceView, localAtOrBefore, localOf } from './fleet/drill.ts';

export interface SequenceDiagramProps {
  trace: TraceEvent[]; nodes: string[]; durationMs: number;
  cursorMs: number; cursorSeq: number;
  selectedSeq: number | null; onSelectEvent(seq: number): void; onSeek(tMs: number): void;
  faults?: FaultBand[];
  /** The run's layout (built with it in the worker) when made for these lanes; else the diagram builds one. */
  layout?: SequenceLayout | null;
}

const NO_FAULTS: FaultBand[] = [];

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
  const allNodes = useNodeIds();
  const derived = useApp((st) => st.derived);
  const resolved = useApp((st) => st.resolved);
  // Fleet drill-down (app/fleet/focus.ts, drill.ts): that device and the broker, alone.
  const focus = useFleetFocus();
  const drill = useMemo(() => (focus !== null && resolved !== null && allNodes.includes(focus)
    ? deviceView(s.trace, resolved, focus, s.durationMs) : null), [focus, resolved, allNodes, s.trace, s.durationMs]);
  const layout = useMemo(() => layoutForLanes(derived, allNodes, s.durationMs), [derived, allNodes, s.durationMs]);
  const faults = useMemo(() => (drill && resolved ? deviceFaults(derived?.faults ?? NO_FAULTS, resolved.broker.id, drill.device) : derived?.faults ?? NO_FAULTS),
    [drill, resolved, derived]);
  const run = useApp(useShallow((st) => ({ status: st.runStatus, message: st.runMessage, name: st.scenario.name })));
  const store = getAppStore();
  const onSeek = (t: number): void => { store.getState().pause(); store.getState().seek(t); };
  const props: SequenceDiagramProps = drill
    ? {
      trace: drill.trace, nodes: [allNodes[0]!, drill.device], durationMs: s.durationMs, cursorMs: s.cursorMs,
      cursorSeq: localAtOrBefore(drill.global, s.cursorSeq), selectedSeq: localOf(drill.global, s.selectedSeq), faults,
      layout: drill.layout, onSelectEvent: (seq) => store.getState().seekToEvent(drill.global[seq]!), onSeek,
    }
    : {
      trace: s.trace, nodes: allNodes, durationMs: s.durationMs, cursorMs: s.cursorMs, cursorSeq: s.cursorSeq,
      selectedSeq: s.selectedSeq, faults, layout,
      onSelectEvent: (seq) => store.getState().seekToEvent(seq), onSeek,
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
  const diagram = SequenceDiagram ? <SequenceDiagram {...props} /> : <Placeholder {...props} />;
  if (!drill) return diagram;
  return (
    <div className="drill">
      <p className="drill-bar" role="note" aria-label="Drill-down">
        <span>Drill-down: <b>{drill.device}</b> and the broker alone ({drill.trace.length.toLocaleString('en-US')} events); the other devices are hidden.</span>
        <button type="button" onClick={() => setFleetFocus(null)}>← Back to all lanes</button>
      </p>
      {diagram}
    </div>
  );
}
