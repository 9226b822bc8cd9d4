/**
 * The run slice: everything derived from the scenario by the simulator. The run is computed
 * up front to durationMs (in the worker); playback only moves a cursor through the trace.
 * Results of a superseded run (the user injected another fault meanwhile) are ignored.
 * What the views draw from a run (`derived`: layout, fault bands, segments in flight, log row
 * offsets; `cursorWorld`: the world at the cursor) is made once per run and installed with its
 * trace, in the same update, so no view ever pairs one run's trace with another's drawing.
 */
import type { StateCreator } from 'zustand';
import type { TraceEvent } from '../../sim/index.ts';
import { effectsEnd } from '../../sim/index.ts';
import { lastIndexAtOrBefore, nextMatching, prevMatching } from '../model/cursor.ts';
import { makeFilter } from '../model/filter.ts';
import { isNotable, BREAKPOINT_KINDS } from '../model/notable.ts';
import { formatMs } from '../model/format.ts';
import type { SimRunner } from '../worker/runner.ts';
import { deriveRun } from '../view-model/derive.ts';
import { cursorWorld } from '../model/worldView.ts';
import type { AppState, RunSlice } from './types.ts';
import { setRunProgress } from '../fleet/progress.ts';
import { FLEET_CLI } from '../fleet/mode.ts';

export const SPEEDS: readonly number[] = [0.1, 0.25, 0.5, 1, 2, 5, 10, 20, 50, 100, 200, 500, 1000];

export function createRunSlice(runner: SimRunner): StateCreator<AppState, [], [], RunSlice> {
  return (set, get) => {
    let latestRun = 0;

    /** Puts the cursor on event `seq` (and its time) and selects it. */
    /**
     * Puts the cursor on an event. A notable one (a fault, a Will, a close…) is shown with its
     * effects applied: the cursor goes to the last trace event of the same engine event
     * (sim/world effectsEnd), so at "power-off sensor" the Inspector says host off, not the
     * state just before the power went. The event itself stays selected.
     */
    const toEvent = (seq: number): void => {
      const { trace, stepEnds } = get();
      const e = trace[seq];
      if (!e) return;
      const cursorSeq = isNotable(e) ? effectsEnd(stepEnds, seq) : seq;
      set({ cursorSeq, cursorMs: trace[cursorSeq]!.tMs, selectedSeq: seq });
    };

    /**
     * Where notable navigation searches from: the selected event while the cursor shows its
     * effects (else Shift+← would find the same event again, and the notable events among
     * those effects could never be selected), the cursor otherwise.
     */
    const navAnchor = (): number => {
      const { cursorSeq, selectedSeq, stepEnds, trace } = get();
      if (selectedSeq !== null && selectedSeq <= cursorSeq && trace[selectedSeq]
        && isNotable(trace[selectedSeq]!) && effectsEnd(stepEnds, selectedSeq) === cursorSeq) return selectedSeq;
      return cursorSeq;
    };

    const visible = (): ((e: TraceEvent) => boolean) => makeFilter(get().logFilter);

    return {
      runStatus: 'idle',
      runMessage: null,
      trace: [],
      ndjson: '',
      summary: null,
      expectations: [],
      resolved: null,
      stepEnds: null,
      derived: null,
      cursorWorld: null,
      fleet: null,
      durationMs: 0,
      cursorMs: 0,
      cursorSeq: -1,
      playing: false,
      speed: 2,
      runTimeMs: 0,

      async rerun() {
        const id = ++latestRun;
        const scenario = get().scenario;
        set({ runStatus: 'running', runMessage: null });
        setRunProgress(null);
        const outcome = await runner.run(scenario, (p) => { if (id === latestRun) setRunProgress(p); });
        if (id !== latestRun) return; // superseded
        setRunProgress(null);
        if (!outcome.ok && outcome.cancelled) {
          const text = `You cancelled the run of “${scenario.name}”: nothing is shown for it. The command line runs it whole, with the same fleet aggregates: ${FLEET_CLI}.`;
          set({
            runStatus: 'error', runMessage: text, playing: false,
            trace: [], ndjson: '', summary: null, expectations: [], resolved: null, stepEnds: null, fleet: null,
            derived: null, cursorWorld: null, cursorMs: 0, cursorSeq: -1, selectedSeq: null,
          });
          get().showMessage({ tone: 'info', text });
          return;
        }
        if (!outcome.ok) {
          // No results for this scenario: none of the previous one's may stand in for them.
          set({
            runStatus: 'error', runMessage: outcome.message, playing: false,
            trace: [], ndjson: '', summary: null, expectations: [], resolved: null, stepEnds: null, fleet: null,
            derived: null, cursorWorld: null, cursorMs: 0, cursorSeq: -1, selectedSeq: null,
          });
          get().showMessage({ tone: 'error', text: outcome.message, problems: outcome.problems });
          return;
        }
        // The worker built what the views draw with the run; a runner that returns a bare
        // trace (tests) leaves it to be built here, once.
        const lanes = [outcome.resolved.broker.id, ...outcome.resolved.clients.map((c) => c.id)];
        const derived = outcome.derived ?? deriveRun(outcome.trace, lanes, scenario.durationMs, outcome.resolved);
        const { cursorMs } = get();
        const clamped = Math.min(cursorMs, scenario.durationMs);
        set({
          runStatus: 'ready', runMessage: null, trace: outcome.trace, ndjson: outcome.ndjson,
          summary: outcome.summary, expectations: outcome.expectations,
          resolved: outcome.resolved, stepEnds: outcome.stepEnds ?? null, fleet: outcome.fleet ?? null, durationMs: scenario.durationMs,
          derived, cursorWorld: cursorWorld(outcome.resolved, outcome.trace),
          cursorMs: clamped,
          cursorSeq: clamped === 0 && get().cursorSeq === -1 ? -1 : lastIndexAtOrBefore(outcome.trace, clamped),
          runTimeMs: outcome.elapsedMs,
        });
      },

      play() {
        const { cursorMs, durationMs, trace } = get();
        if (trace.length === 0) return;
        if (cursorMs >= durationMs) set({ cursorMs: 0, cursorSeq: -1 });
        set({ playing: true });
      },
      pause() { set({ playing: false }); },
      togglePlay() { if (get().playing) get().pause(); else get().play(); },

      stepForward() {
        const next = nextMatching(get().trace, navAnchor(), visible());
        set({ playing: false });
        if (next >= 0) toEvent(next);
      },

      stepBack() {
        set({ playing: false });
        const prev = prevMatching(get().trace, navAnchor(), visible());
        if (prev >= 0) toEvent(prev);
        else set({ cursorSeq: -1, cursorMs: 0, selectedSeq: null });
      },

      seek(tMs) {
        const { trace, durationMs } = get();
        const t = Math.max(0, Math.min(durationMs, tMs));
        set({ cursorMs: t, cursorSeq: lastIndexAtOrBefore(trace, t) });
      },

      seekToEvent(seq) { set({ playing: false }); toEvent(seq); },

      nextNotable() {
        const next = nextMatching(get().trace, navAnchor(), isNotable);
        set({ playing: false });
        if (next >= 0) toEvent(next);
      },

      prevNotable() {
        const prev = prevMatching(get().trace, navAnchor(), isNotable);
        set({ playing: false });
        if (prev >= 0) toEvent(prev);
      },

      advance(virtualMs) {
        const { trace, cursorMs, cursorSeq, durationMs, breakpoints, playing } = get();
        if (!playing) return;
        const target = Math.min(durationMs, cursorMs + virtualMs);
        const seq = lastIndexAtOrBefore(trace, target);
        if (breakpoints.length > 0) {
          const kinds = new Set(breakpoints);
          for (let i = cursorSeq + 1; i <= seq; i++) {
            const e = trace[i]!;
            if (!kinds.has(e.kind)) continue;
            const label = BREAKPOINT_KINDS.find((b) => b.kind === e.kind)?.label ?? e.kind;
            set({ playing: false, cursorSeq: i, cursorMs: e.tMs, selectedSeq: i });
            get().showMessage({ tone: 'info', text: `Paused at ${formatMs(e.tMs)}: ${label}.` });
            return;
          }
        }
        set({ cursorMs: target, cursorSeq: Math.max(seq, cursorSeq), playing: target < durationMs });
      },

      setSpeed(speed) { set({ speed }); },

      captureBytes() { return runner.capture(get().scenario); },

      cancelRun() { if (get().runStatus === 'running') runner.cancel?.(); },
    };
  };
}
