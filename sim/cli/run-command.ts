/**
 * `halfopen run FILE [--trace PATH|-] [--pcap PATH] [--seed N] [--broker-profile NAME]
 * [--until-ms N]` (CONTRACT.md section 1): checks the output paths, validates, runs headless,
 * checks `expect`, writes the trace (NDJSON, section 3) and the capture, prints a summary.
 *
 * Exit status: 0 every expectation held; 1 at least one did not (one line each on stderr);
 * 2 unusable input, including an output that cannot be written (one line naming the option);
 * 3 (extension) the simulator stopped: an invariant broke or it failed internally;
 * 130 / 143 stopped by SIGINT (Ctrl-C) / SIGTERM; 141 the reader of `--trace -` went away.
 *
 * Outputs are checked before the scenario is even read, written to temporary files beside
 * their targets and renamed into place only when the run finished (outputs.ts), so a failed or
 * interrupted run leaves no file behind and never deletes one it did not create.
 *
 * The simulation runs on this thread in slices (simulate.ts): between two slices Node's event
 * loop runs, so SIGINT / SIGTERM reach their handlers here, which ask the run to stop; it
 * stops at the next slice boundary and the temporary files are removed. (Until December 2026
 * it ran in a worker thread for the same reason; starting one cost ~0.1 s of CPU, most of a
 * shipped scenario's run.)
 */
import type { Command } from './args.ts';
import { loadScenario, printProblems } from './load.ts';
import { writeStderr, writeStdout } from './output.ts';
import { OutputError, OutputFile, outputClash, planOutput } from './outputs.ts';
import type { OutputPlan } from './outputs.ts';
import { resolveScenario } from '../scenario/resolve.ts';
import type { Job, Outcome } from './simulate.ts';
import { ERASE_LINE, progressText, progressWanted } from './terminal.ts';
import { fleetSummaryLines, summaryJson } from './fleet-summary.ts';
import { fleetGroups } from '../fleet/groups.ts';

type RunCommand = Extract<Command, { cmd: 'run' }>;

export interface RunCommandOptions {
  /** Called from a test in a shared process: install no signal handlers, draw no progress line. */
  inline?: boolean;
}

const SIGNAL_STATUS = { SIGINT: 130, SIGTERM: 143 } as const;
type StopSignal = keyof typeof SIGNAL_STATUS;

function plans(args: RunCommand): { trace: OutputPlan | null; pcap: OutputPlan | null; lines: string[] } {
  const lines: string[] = [];
  const check = (option: '--trace' | '--pcap', path: string | undefined): OutputPlan | null => {
    if (path === undefined || path === '-') return null;
    const p = planOutput(option, path);
    if (!p.ok) { lines.push(p.line); return null; }
    return p.plan;
  };
  const trace = check('--trace', args.trace);
  const pcap = check('--pcap', args.pcap);
  return { trace, pcap, lines };
}

export async function runCommand(args: RunCommand, options: RunCommandOptions = {}): Promise<number> {
  const planned = plans(args);
  if (planned.lines.length > 0) { printProblems(planned.lines); return 2; }
  const clash = outputClash(args.file, planned.trace, planned.pcap);
  if (clash !== null) { writeStderr(clash); return 2; }
  const loaded = loadScenario(args.file);
  if (!loaded.ok) { printProblems(loaded.lines); return 2; }
  const resolved = resolveScenario(loaded.scenario);
  const untilMs = args.untilMs ?? resolved.durationMs;

  // From here on, files exist that a signal must remove.
  let stopSignal: StopSignal | null = null;
  const onSignal = (signal: StopSignal) => (): void => {
    if (stopSignal === null) stopSignal = signal;
  };
  const onInt = onSignal('SIGINT');
  const onTerm = onSignal('SIGTERM');
  if (options.inline !== true) { process.on('SIGINT', onInt); process.on('SIGTERM', onTerm); }
  const files: OutputFile[] = [];
  let progressShown = false;
  try {
    let traceFile: OutputFile | null = null;
    let pcapFile: OutputFile | null = null;
    try {
      if (planned.trace !== null) { traceFile = OutputFile.open(planned.trace); files.push(traceFile); }
      if (planned.pcap !== null) { pcapFile = OutputFile.open(planned.pcap); files.push(pcapFile); }
    } catch (err) {
      if (err instanceof OutputError) { writeStderr(err.message); return 2; }
      throw err;
    }
    const toStdout = args.trace === '-';
    const job: Job = {
      resolved,
      traceFd: toStdout ? 1 : traceFile?.fd ?? null,
      traceEscape: toStdout && process.stdout.isTTY === true,
      pcapFd: pcapFile?.fd ?? null,
      progressEveryMs: 0,
      groups: fleetGroups(loaded.scenario),
      groupSeries: args.summary === 'json',
    };
    if (args.seed !== undefined) job.seed = args.seed;
    if (args.brokerProfile !== undefined) job.brokerProfile = args.brokerProfile;
    if (args.untilMs !== undefined) job.untilMs = args.untilMs;

    const showProgress = options.inline !== true && progressWanted({
      stderrIsTTY: process.stderr.isTTY === true,
      term: process.env.TERM,
      traceToTTY: toStdout && process.stdout.isTTY === true,
    });
    if (showProgress) job.progressEveryMs = 250;
    const onProgress = showProgress
      ? (tMs: number, events: number): void => {
        if (stopSignal !== null) return;
        process.stderr.write(ERASE_LINE + progressText(tMs, untilMs, events));
        progressShown = true;
      }
      : undefined;

    const { simulate } = await import('./simulate.ts');
    const outcome: Outcome | null = await simulate(job, onProgress, () => stopSignal !== null);
    if (progressShown) { process.stderr.write(ERASE_LINE); progressShown = false; }

    if (stopSignal !== null || outcome === null) {
      for (const f of files) f.abandon();
      const signal: StopSignal = stopSignal ?? 'SIGTERM';
      writeStderr(`halfopen: stopped by ${signal}${files.length > 0 ? '; no trace or capture file was written' : ''}`);
      return SIGNAL_STATUS[signal];
    }
    switch (outcome.kind) {
      case 'reader-gone':
        for (const f of files) f.abandon();
        return 141;
      case 'output': {
        for (const f of files) f.abandon();
        const given = outcome.option === '--trace' ? args.trace : args.pcap;
        writeStderr(`${outcome.option}: cannot write ${given === '-' ? 'to standard output' : JSON.stringify(given)}: ${outcome.reason}`);
        return 2;
      }
      case 'invariant':
        for (const f of files) f.abandon();
        writeStderr(`halfopen: invariant violated: ${outcome.message}`);
        return 3;
      case 'other':
        for (const f of files) f.abandon();
        writeStderr(`halfopen: the simulator stopped: ${outcome.message}`);
        if (process.env.HALFOPEN_DEBUG && outcome.stack !== undefined) writeStderr(outcome.stack);
        return 3;
      case 'done':
        break;
    }

    try {
      // The capture first: if the trace's rename failed after it, the capture would stay.
      pcapFile?.commit();
      traceFile?.commit();
    } catch (err) {
      for (const f of files) f.abandon();
      if (err instanceof OutputError) { writeStderr(err.message); return 2; }
      throw err;
    }

    const status = outcome.failures.length > 0 ? 1 : 0;
    process.exitCode = status;
    for (const line of outcome.failures) writeStderr(line);
    const s = outcome.summary;
    const failed = outcome.failures.length;
    const total = outcome.checked;
    const summary = args.summary === 'json'
      ? JSON.stringify(summaryJson(resolved.name, s, total, outcome.failures, outcome.fleet)) + '\n'
      : [
      `${resolved.name}: seed ${s.seed}, broker profile ${s.brokerProfile}`,
      `  virtual time reached: ${s.endMs} ms`,
      `  events: ${s.events} processed, ${s.traceEvents} in the trace`,
      `  connections: ${s.connections}`,
      `  Wills published: ${s.willsPublished}`,
      `  expectations: ${total === 0 ? 'none' : `${total - failed} of ${total} passed${failed > 0 ? `, ${failed} failed` : ''}`}`,
      ...fleetSummaryLines(outcome.fleet),
    ].join('\n') + '\n';
    if (toStdout) writeStderr(summary);
    else await writeStdout(summary);
    return status;
  } finally {
    for (const f of files) f.abandon(); // no-op for committed files (nothing left to remove)
    if (progressShown) process.stderr.write(ERASE_LINE);
    process.off('SIGINT', onInt);
    process.off('SIGTERM', onTerm);
  }
}
