/**
 * Messages between the app and the simulation worker. The worker receives scenario JSON
 * (untrusted: it parses it again) and answers with the trace, its NDJSON text (the bytes the
 * "Download trace" button saves, identical to `halfopen run FILE --trace -`) plus the layout
 * derived from it (typed arrays transferred, not copied), or a capture.
 */
import type { Problem, ResolvedScenario, RunSummary, Scenario, TraceEvent } from '../../sim/index.ts';
import type { RunDerived } from '../view-model/derive.ts';
import type { FleetData } from '../fleet/fleetData.ts';
import type { RunProgressReport } from '../fleet/runFleet.ts';

export type WorkerRequest =
  | { id: number; type: 'run'; scenario: unknown }
  | { id: number; type: 'capture'; scenario: unknown }
  | { id: number; type: 'parse'; text: string | Blob };

/** A parsed file: the scenario, its problems, or why the app will not show it (too large). */
export type ParseOutcome =
  | { ok: true; scenario: Scenario }
  | { ok: false; problems: Problem[]; tooLarge?: string };

export interface ExpectationOutcome { index: number; ok: boolean; message: string }

export interface RunOk {
  trace: TraceEvent[];
  ndjson: string;
  summary: RunSummary;
  expectations: ExpectationOutcome[];
  /**
   * Where each engine event's trace events end (sim RunResult.stepEnds), so a jump to a
   * notable event shows its effects applied (sim/world effectsEnd); absent from bare runners.
   */
  stepEnds?: Int32Array;
  /** The scenario as the run resolved it (defaults filled): the UI thread never resolves it again. */
  resolved: ResolvedScenario;
  /**
   * The timeline layout and flight index, built with the run (app/view-model/derive.ts); absent from
   * runners that return a bare trace (tests), in which case the store builds them when it installs the run.
   */
  derived?: RunDerived;
  /** The Fleet view's aggregates (app/fleet/runFleet.ts), for 50 clients or more. */
  fleet?: FleetData;
  /** Wall time the worker spent, for the status line. */
  elapsedMs: number;
}

export type WorkerReply =
  /** `parts`: the big arrays came before, in `part` messages (replyParts.ts). */
  | ({ id: number; type: 'run'; ok: true; parts?: true } & RunOk)
  | { id: number; type: 'capture'; ok: true; bytes: Uint8Array }
  | { id: number; type: 'run' | 'capture'; ok: false; message: string; problems: Problem[] }
  | { id: number; type: 'parse'; ok: boolean; outcome: ParseOutcome }
  /** How far a run has got (sent every ~250 ms while it computes); not an answer. */
  | ({ id: number; type: 'progress' } & RunProgressReport);
