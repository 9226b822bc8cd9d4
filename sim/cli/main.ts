/**
 * `halfopen`: the command-line entry (CONTRACT.md section 1). `bin.mjs` imports its build
 * (lib/halfopen.mjs; from-source.mjs imports this file through tsx), which runs the command
 * and sets the exit status. Only sim/cli/ uses Node APIs. No stack trace is printed for anything a user did; an unexpected internal error
 * prints one line (set HALFOPEN_DEBUG=1 for the stack) and exits 3.
 */
import './number-cache.ts'; // first: before anything loads the MQTT codec
import { readFileSync } from 'node:fs';
import { parseArgs, UsageError } from './args.ts';
import { loadScenario, printProblems } from './load.ts';
import { guardStdout, writeStderr, writeStdout } from './output.ts';
import { runCommand } from './run-command.ts';

const USAGE = `Usage:
  halfopen run FILE [options]   run a scenario headless, check its expectations
  halfopen validate FILE        check a scenario file and say what is wrong with it
  halfopen --help | --version

Options of run:
  --trace PATH|-          write the trace as NDJSON to PATH (- = standard output)
  --pcap PATH             write the packets on the wire as a pcapng capture (Wireshark)
  --seed N                override the scenario's seed (integer 0..4294967295)
  --broker-profile NAME   override broker.profile: spec, mosquitto-2.0, aedes
  --until-ms N            stop at virtual time N ms instead of durationMs
  --summary human|json    the summary in words (default) or as one JSON object for
                          scripts (README: "Run summary as JSON")

FILE may be - to read standard input.

Exit status:
  0  the file is valid and (run) every expect entry held
  1  the run finished and at least one expect entry did not hold (one line each on stderr)
  2  unusable input: unreadable file, invalid JSON, schema violation, bad option, or an
     output that cannot be written (one line per problem on stderr, starting with its
     JSON path or the option; no trace or capture file is left behind)
  3  the simulator stopped: an invariant broke (the message says how to replay it)
  130, 143  stopped by Ctrl-C (SIGINT) or SIGTERM; no trace or capture file is left behind
  141  the reader of --trace - went away (| head); the run stops quietly

Scenario format: sim/scenario/README.md
`;

function version(): string {
  // sim/cli/main.ts (sources) and lib/halfopen.mjs (the build) sit at different depths.
  for (const rel of ['../package.json', '../../package.json']) {
    try {
      const pkg = JSON.parse(readFileSync(new URL(rel, import.meta.url), 'utf8')) as { name?: string; version?: string };
      if (pkg.name === 'halfopen') return `halfopen ${pkg.version ?? 'unknown'}`;
    } catch { /* not there */ }
  }
  return 'halfopen unknown';
}

async function validateCommand(file: string): Promise<number> {
  const loaded = loadScenario(file);
  if (!loaded.ok) { printProblems(loaded.lines); return 2; }
  const s = loaded.scenario;
  const n = (count: number, word: string): string => `${count} ${word}${count === 1 ? '' : 's'}`;
  const clients = s.clients.reduce((k, c) => k + (c.count ?? 1), 0);
  await writeStdout(`${file}: valid scenario "${s.name}" (${n(clients, 'client')}, ${n(s.actions?.length ?? 0, 'action')}, ${n(s.expect?.length ?? 0, 'expectation')})\n`);
  return 0;
}

export async function main(argv: readonly string[]): Promise<number> {
  let command;
  try {
    command = parseArgs(argv);
  } catch (err) {
    if (err instanceof UsageError) { writeStderr(err.message); return 2; }
    throw err;
  }
  switch (command.cmd) {
    case 'help': await writeStdout(USAGE); return 0;
    case 'version': await writeStdout(version() + '\n'); return 0;
    case 'validate': return validateCommand(command.file);
    case 'run': return runCommand(command);
  }
}

guardStdout();
try {
  process.exitCode = await main(process.argv.slice(2));
} catch (err) {
  writeStderr(`halfopen: internal error: ${err instanceof Error ? err.message : String(err)} (set HALFOPEN_DEBUG=1 for details)`);
  if (process.env.HALFOPEN_DEBUG && err instanceof Error && err.stack) writeStderr(err.stack);
  process.exitCode = 3;
}
