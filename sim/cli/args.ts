/**
 * Command-line arguments of `halfopen` (CONTRACT.md section 1), parsed strictly: an unknown
 * option, a missing value or a malformed number is a usage error (exit 2) with one line that
 * starts with the option's name, never a silent default.
 */
import { parseArgs as nodeParseArgs } from 'node:util';
import { didYouMean } from '../scenario/check.ts';
import { BROKER_PROFILE_NAMES, LIMITS } from '../scenario/limits.ts';
import type { BrokerProfileName } from '../scenario/types.ts';

export type Command =
  | { cmd: 'help' }
  | { cmd: 'version' }
  | { cmd: 'validate'; file: string }
  | {
      cmd: 'run'; file: string; trace?: string; pcap?: string; seed?: number;
      brokerProfile?: BrokerProfileName; untilMs?: number;
      /** How the summary is printed: words (default) or one JSON object for scripts. */
      summary?: 'human' | 'json';
    };

export class UsageError extends Error {}

const COMMANDS = ['run', 'validate', 'help'];
const RUN_OPTIONS = ['--trace', '--pcap', '--seed', '--broker-profile', '--until-ms', '--summary'];
const ALL_FLAGS = [...RUN_OPTIONS, '--help', '-h', '--version'];

function integer(option: string, text: string, min: number, max: number, what: string): number {
  const n = /^[0-9]+$/.test(text) ? Number(text) : NaN;
  if (!Number.isSafeInteger(n) || n < min || n > max) {
    throw new UsageError(`${option}: must be ${what} from ${min} to ${max}, not ${JSON.stringify(text)}`);
  }
  return n;
}

const NODE_OPTIONS = {
  'trace': { type: 'string' }, 'pcap': { type: 'string' }, 'seed': { type: 'string' },
  'broker-profile': { type: 'string' }, 'until-ms': { type: 'string' }, 'summary': { type: 'string' },
  'help': { type: 'boolean', short: 'h' }, 'version': { type: 'boolean' },
} as const;

type Token = NonNullable<ReturnType<typeof nodeParseArgs>['tokens']>[number];

/**
 * Node's `util.parseArgs` in strict mode reads the command line. Where it refuses, the same
 * arguments are read again leniently (its tokens) to say what is wrong in this command's own
 * words, one line starting with the option (`--sed: unknown option (did you mean "--seed"?)`),
 * which parseArgs's messages do not. One thing strict parseArgs cannot do and this command
 * does: an option value that starts with a single "-" (`--seed -1` says the number is out of
 * range; strict parseArgs calls it ambiguous); a value starting with "--" is still refused as a
 * missing value (`--trace --pcap x`).
 */
function tokensOf(argv: readonly string[]): Token[] {
  try {
    return nodeParseArgs({ args: [...argv], options: NODE_OPTIONS, allowPositionals: true, strict: true, tokens: true }).tokens;
  } catch {
    return nodeParseArgs({ args: [...argv], options: NODE_OPTIONS, allowPositionals: true, strict: false, tokens: true }).tokens;
  }
}

export function parseArgs(argv: readonly string[]): Command {
  if (argv.includes('--help') || argv.includes('-h')) return { cmd: 'help' };
  if (argv.includes('--version')) return { cmd: 'version' };
  const positional: string[] = [];
  const options = new Map<string, string>();
  for (const t of tokensOf(argv)) {
    if (t.kind === 'positional') { positional.push(t.value); continue; }
    if (t.kind === 'option-terminator') continue;
    const name = t.rawName;
    if (!RUN_OPTIONS.includes(name)) {
      throw new UsageError(`${name}: unknown option${didYouMean(name, ALL_FLAGS)}; see halfopen --help`);
    }
    const value = t.value;
    if (value === undefined || (!t.inlineValue && value.startsWith('--'))) throw new UsageError(`${name}: needs a value`);
    if (options.has(name)) throw new UsageError(`${name}: given more than once`);
    options.set(name, value);
  }
  const [command, file, ...extra] = positional;
  if (command === undefined) throw new UsageError('halfopen: missing command (run or validate); see halfopen --help');
  if (command === 'help') return { cmd: 'help' };
  if (!COMMANDS.includes(command)) {
    throw new UsageError(`${command}: unknown command${didYouMean(command, COMMANDS)}; the commands are run and validate`);
  }
  if (file === undefined) throw new UsageError(`halfopen ${command}: missing FILE (the scenario to ${command === 'run' ? 'run' : 'check'})`);
  if (extra.length > 0) throw new UsageError(`${extra[0] ?? ''}: unexpected argument (halfopen ${command} takes one FILE)`);
  if (command === 'validate') {
    const first = options.keys().next();
    if (first.done !== true) throw new UsageError(`${first.value}: is an option of halfopen run, not of validate`);
    return { cmd: 'validate', file };
  }
  const out: Command = { cmd: 'run', file };
  const trace = options.get('--trace');
  const pcap = options.get('--pcap');
  if (trace !== undefined) {
    if (trace === '') throw new UsageError('--trace: needs a file name, or - for standard output');
    out.trace = trace;
  }
  if (pcap !== undefined) {
    if (pcap === '' || pcap === '-') throw new UsageError('--pcap: needs a file name (a capture is binary; it is not written to standard output)');
    if (pcap === trace) throw new UsageError('--pcap: must not be the same file as --trace');
    out.pcap = pcap;
  }
  const seed = options.get('--seed');
  if (seed !== undefined) out.seed = integer('--seed', seed, 0, LIMITS.seed, 'an integer');
  const until = options.get('--until-ms');
  if (until !== undefined) out.untilMs = integer('--until-ms', until, 1, LIMITS.durationMs, 'a positive integer (virtual milliseconds)');
  const summary = options.get('--summary');
  if (summary !== undefined) {
    if (summary !== 'human' && summary !== 'json') throw new UsageError(`--summary: must be human or json, not ${JSON.stringify(summary)}`);
    out.summary = summary;
  }
  const profile = options.get('--broker-profile');
  if (profile !== undefined) {
    if (!(BROKER_PROFILE_NAMES as readonly string[]).includes(profile)) {
      throw new UsageError(`--broker-profile: unknown profile ${JSON.stringify(profile)}${didYouMean(profile, BROKER_PROFILE_NAMES)}; the profiles are ${BROKER_PROFILE_NAMES.join(', ')}`);
    }
    out.brokerProfile = profile as BrokerProfileName;
  }
  return out;
}
