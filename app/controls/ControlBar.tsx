/** Playback controls: play/pause, stepping, notable events, scrubber, speed, breakpoints. */
import { useState } from 'react';
import type { JSX } from 'react';
import { useShallow } from 'zustand/react/shallow';
import { getAppStore, useApp } from '../store/store.ts';
import { SPEEDS } from '../store/runSlice.ts';
import { BREAKPOINT_KINDS } from '../model/notable.ts';
import { formatMs } from '../model/format.ts';
import { SHORTCUTS } from './useKeyboardShortcuts.ts';

function speedLabel(v: number): string {
  const base = `${v}×`;
  if (v === 0.1) return `${base} slow motion`;
  if (v === 1) return `${base} real time`;
  if (v === 1000) return `${base} very fast`;
  return base;
}

function Breakpoints(): JSX.Element {
  const breakpoints = useApp((s) => s.breakpoints);
  const [open, setOpen] = useState(false);
  const toggle = (kind: string): void => {
    const next = breakpoints.includes(kind) ? breakpoints.filter((k) => k !== kind) : [...breakpoints, kind];
    getAppStore().getState().setBreakpoints(next);
  };
  return (
    <div className="popover-anchor">
      <button type="button" aria-expanded={open} onClick={() => setOpen(!open)}
        title="Pause playback when one of these events happens">
        Breakpoints ({breakpoints.length})
      </button>
      {open && (
        <fieldset className="popover breakpoints">
          <legend>Pause playback when…</legend>
          {BREAKPOINT_KINDS.map((b) => (
            <label key={b.kind}>
              <input type="checkbox" checked={breakpoints.includes(b.kind)} onChange={() => toggle(b.kind)} />
              {b.label} <code>{b.kind}</code>
            </label>
          ))}
        </fieldset>
      )}
    </div>
  );
}

function Help(): JSX.Element {
  const [open, setOpen] = useState(false);
  return (
    <div className="popover-anchor" onMouseLeave={() => setOpen(false)}>
      <button type="button" aria-expanded={open} aria-describedby="shortcut-help"
        onClick={() => setOpen(!open)} onMouseEnter={() => setOpen(true)} onFocus={() => setOpen(true)}
        onBlur={() => setOpen(false)}>
        Keys ?
      </button>
      <div id="shortcut-help" role="tooltip" className={`popover help ${open ? '' : 'hidden'}`}>
        <strong>Keyboard shortcuts</strong>
        <dl>{SHORTCUTS.map(([k, v]) => <div key={k}><dt><kbd>{k}</kbd></dt><dd>{v}</dd></div>)}</dl>
        <p>Click a node or a link in the Topology to inject a fault at the cursor time.
          Click the timeline or an event in the log to move the cursor.</p>
      </div>
    </div>
  );
}

export function ControlBar(): JSX.Element {
  const s = useApp(useShallow((st) => ({
    playing: st.playing, cursorMs: st.cursorMs, durationMs: st.durationMs, speed: st.speed,
    runStatus: st.runStatus, events: st.trace.length, cursorSeq: st.cursorSeq,
  })));
  const act = getAppStore().getState;
  const ready = s.events > 0;
  return (
    <div className="controlbar" role="toolbar" aria-label="Playback">
      <h1 className="brand" title="Halfopen: MQTT over TCP links that go half-open">Halfopen</h1>
      <button type="button" onClick={() => act().prevNotable()} disabled={!ready}
        aria-label="Previous notable event" title="Previous notable event (Shift+←)"><span aria-hidden="true">◀◀</span></button>
      <button type="button" onClick={() => act().stepBack()} disabled={!ready} title="Step back (←)">
        <span aria-hidden="true">◀ </span>Step back
      </button>
      <button type="button" className="primary play" onClick={() => act().togglePlay()} disabled={!ready}
        title="Play / Pause (Space)">
        <span aria-hidden="true">{s.playing ? '❚❚ ' : '▶ '}</span>{s.playing ? 'Pause' : 'Play'}
      </button>
      <button type="button" onClick={() => act().stepForward()} disabled={!ready} title="Step forward (→)">
        Step forward<span aria-hidden="true"> ▶</span>
      </button>
      <button type="button" onClick={() => act().nextNotable()} disabled={!ready}
        aria-label="Next notable event" title="Next notable event (Shift+→)"><span aria-hidden="true">▶▶</span></button>
      <output className="clock" aria-label="Virtual time" aria-live="off">
        <strong>{formatMs(s.cursorMs, { minutes: false })}</strong> / {formatMs(s.durationMs)}
        <span className="clock-seq"> · event {s.cursorSeq + 1} of {s.events}</span>
      </output>
      <input type="range" className="scrubber" aria-label="Seek" min={0} max={s.durationMs || 1}
        step="any" value={s.cursorMs} disabled={!ready}
        onChange={(ev) => { act().pause(); act().seek(Number(ev.currentTarget.value)); }} />
      <label className="speed">
        Speed
        <select value={s.speed} onChange={(ev) => act().setSpeed(Number(ev.currentTarget.value))}>
          {SPEEDS.map((v) => <option key={v} value={v}>{speedLabel(v)}</option>)}
        </select>
      </label>
      <Breakpoints />
      <Help />
      <span className={`run-status ${s.runStatus}`} role="status">
        {s.runStatus === 'running' ? (s.events > 0 ? 'Simulating… (showing the previous run)' : 'Simulating…')
          : s.runStatus === 'error' ? 'Run failed' : ''}
      </span>
    </div>
  );
}
