/**
 * `halfopen run FILE [--trace PATH|-] [--pcap PATH] [--seed N] [--broker-profile NAME]
 * [--until-ms N]` (CONTRACT.md section 1): validates, runs headless, checks `expect`,
 * writes the trace (NDJSON, section 3) and the capture, prints a summary.
 *
 * Exit status: 0 every expectation held; 1 at least one did not (one line each on stderr);
 * 2 unusable input (nothing written); 3 (extension) the simulator stopped: an invariant
 * broke or it failed internally. Partial output files are removed on 2 and 3. The capture
 * is recorded beside the run (RunOptions.recordWire) and never changes the trace.
 */
import { statSync, writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import type { Command } from './args.ts';
import { loadScenario, printProblems } from './load.ts';
import { fsReason, StreamedFile, writeStderr, writeStdout } from './output.ts';
import { checkExpectations } from '../scenario/expect.ts';
import { resolveScenario } from '../scenario/resolve.ts';
import { eventToLine } from '../trace/ndjson.ts';
import type { TraceEvent } from '../trace/types.ts';
import type { RunOptions, RunResult } from '../run-types.ts';
import { ANNOTATED_KINDS, annotationText, writeCapture } from '../pcap/capture.ts';

type RunCommand = Extract<Command, { cmd: 'run' }>;

function isInvariantViolation(err: unknown): err is Error {
  return err instanceof Error && (err.name === 'InvariantViolation' || err.constructor.name === 'InvariantViolation');
}

/** A file's identity: device and inode when it exists (catches ./f, links), else its absolute path. */
function fileIdentity(path: string): string {
  try {
    const s = statSync(path);
    return `${s.dev}:${s.ino}`;
  } catch {
    return resolve(path);
  }
}

/** Outputs that would overwrite the scenario or each other: refused before anything is written. */
function clashingOutputs(args: RunCommand): string | null {
  const input = args.file === '-' ? null : fileIdentity(args.file);
  const trace = args.trace !== undefined && args.trace !== '-' ? fileIdentity(args.trace) : null;
  const pcap = args.pcap !== undefined ? fileIdentity(args.pcap) : null;
  if (trace !== null && trace === input) {
    return `--trace: ${JSON.stringify(args.trace)} is the scenario file itself; writing the trace there would destroy it`;
  }
  if (pcap !== null && pcap === input) {
    return `--pcap: ${JSON.stringify(args.pcap)} is the scenario file itself; writing the capture there would destroy it`;
  }
  if (pcap !== null && pcap === trace) {
    return `--pcap: ${JSON.stringify(args.pcap)} is the same file as --trace ${JSON.stringify(args.trace)}; give each its own path`;
  }
  return null;
}

export async function runCommand(args: RunCommand): Promise<number> {
  const clash = clashingOutputs(args);
  if (clash !== null) { writeStderr(clash); return 2; }
  const loaded = loadScenario(args.file);
  if (!loaded.ok) { printProblems(loaded.lines); return 2; }
  const resolved = resolveScenario(loaded.scenario);
  const { runScenario } = await import('../run.ts');

  const expectKinds = new Set(resolved.expect.map((e) => e.kind));
  const selected: TraceEvent[] = [];
  const notes: { tUs: number; text: string }[] = [];
  const toStdout = args.trace === '-';
  const chunks: string[] = [];
  let pending = '';
  let traceFile: StreamedFile | null = null;
  if (args.trace !== undefined && !toStdout) {
    try { traceFile = new StreamedFile(args.trace); } catch (err) {
      writeStderr(`--trace: cannot write ${JSON.stringify(args.trace)}: ${fsReason(err)}`);
      return 2;
    }
  }
  const wantsTrace = args.trace !== undefined;
  const onEvent = (e: TraceEvent): void => {
    if (expectKinds.has(e.kind)) selected.push(e);
    if (args.pcap !== undefined && ANNOTATED_KINDS.has(e.kind)) {
      notes.push({ tUs: Math.round(e.tMs * 1000), text: annotationText(e) });
    }
    if (!wantsTrace) return;
    const line = eventToLine(e);
    if (traceFile !== null) traceFile.write(line);
    else {
      pending += line;
      if (pending.length >= 1 << 20) { chunks.push(pending); pending = ''; }
    }
  };

  let result: RunResult;
  try {
    // The engine's default event bound protects browser tabs; a headless run may be long
    // (Ctrl-C stops it), so the CLI only guards against runaway loops.
    const options: RunOptions = { onEvent, keepTrace: false, recordWire: args.pcap !== undefined, maxEvents: 2_000_000_000 };
    if (args.seed !== undefined) options.seed = args.seed;
    if (args.brokerProfile !== undefined) options.brokerProfile = args.brokerProfile;
    if (args.untilMs !== undefined) options.untilMs = args.untilMs;
    result = runScenario(resolved, options);
    traceFile?.finish();
  } catch (err) {
    traceFile?.discard();
    if (isInvariantViolation(err)) {
      writeStderr(`halfopen: invariant violated: ${err.message}`);
    } else {
      writeStderr(`halfopen: the simulator stopped: ${err instanceof Error ? err.message : String(err)}`);
      if (process.env.HALFOPEN_DEBUG && err instanceof Error && err.stack) writeStderr(err.stack);
    }
    return 3;
  }

  if (args.pcap !== undefined) {
    try {
      const bytes = writeCapture(result.wire, result.addresses, notes, {
        comment: `${resolved.name} (seed ${result.summary.seed}, broker profile ${result.summary.brokerProfile})`,
      });
      writeFileSync(args.pcap, bytes);
    } catch (err) {
      writeStderr(`--pcap: cannot write ${JSON.stringify(args.pcap)}: ${fsReason(err)}`);
      traceFile?.discard();
      return 2;
    }
  }

  const results = checkExpectations(resolved.expect, selected);
  const failed = results.filter((r) => !r.ok);
  const status = failed.length > 0 ? 1 : 0;
  process.exitCode = status;
  for (const r of failed) writeStderr(r.message);

  const s = result.summary;
  const summary = [
    `${resolved.name}: seed ${s.seed}, broker profile ${s.brokerProfile}`,
    `  virtual time reached: ${s.endMs} ms`,
    `  events: ${s.events} processed, ${s.traceEvents} in the trace`,
    `  connections: ${s.connections}`,
    `  Wills published: ${s.willsPublished}`,
    `  expectations: ${results.length === 0 ? 'none' : `${results.length - failed.length} of ${results.length} passed${failed.length > 0 ? `, ${failed.length} failed` : ''}`}`,
  ].join('\n') + '\n';

  if (toStdout) {
    chunks.push(pending);
    writeStderr(summary);
    for (const chunk of chunks) await writeStdout(chunk);
  } else {
    await writeStdout(summary);
  }
  return status;
}
