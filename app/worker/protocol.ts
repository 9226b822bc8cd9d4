/**
 * Messages between the app and the simulation worker. The worker receives scenario JSON
 * (untrusted: it parses it again) and answers with the trace, its NDJSON text (the bytes the
 * "Download trace" button saves, identical to `halfopen run FILE --trace -`), or a capture.
 */
import type { Problem, RunSummary, TraceEvent } from '../../sim/index.ts';

export type WorkerRequest =
  | { id: number; type: 'run'; scenario: unknown }
  | { id: number; type: 'capture'; scenario: unknown };

export interface ExpectationOutcome { index: number; ok: boolean; message: string }

export interface RunOk {
  trace: TraceEvent[];
  ndjson: string;
  summary: RunSummary;
  expectations: ExpectationOutcome[];
  /** Wall time the worker spent, for the status line. */
  elapsedMs: number;
}

export type WorkerReply =
  | ({ id: number; type: 'run'; ok: true } & RunOk)
  | { id: number; type: 'capture'; ok: true; bytes: Uint8Array }
  | { id: number; type: 'run' | 'capture'; ok: false; message: string; problems: Problem[] };
