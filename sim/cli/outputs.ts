/**
 * The output files of `halfopen run` (`--trace PATH`, `--pcap PATH`), checked before anything
 * runs and written so that a failed or interrupted run leaves nothing behind:
 *
 * - `planOutput` resolves the path the way the kernel will (symbolic links, chains of them,
 *   relative targets, dangling ones that name a file not yet there) and checks that it can be
 *   written: its folder exists, it is not a folder itself, it is writable. One line naming the
 *   option on failure (exit 2).
 * - `outputClash` compares the resolved targets with each other and with the scenario file.
 * - `OutputFile` writes to a new temporary file beside the target (created exclusively, so it
 *   never replaces anything) and renames it over the target only when the run succeeded; on
 *   failure or Ctrl-C only that temporary file is removed. A file the run did not create is
 *   never deleted. Devices, pipes and /proc or /dev paths (`/dev/null`, `/dev/stdout`) cannot
 *   be replaced by a rename, so they are written in place.
 */
import {
  accessSync, closeSync, constants, fchmodSync, fstatSync, lstatSync, openSync, readlinkSync, realpathSync,
  renameSync, statSync, unlinkSync,
} from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';
import { fsReason } from './output.ts';

export type OutputOption = '--trace' | '--pcap';

export interface OutputPlan {
  option: OutputOption;
  /** The path as given on the command line (for messages). */
  given: string;
  /** Absolute path of the file that will be written, links resolved. */
  target: string;
  /** Written in place (a device, a pipe, /dev or /proc) instead of through a temporary file. */
  direct: boolean;
  /** Mode of the existing regular file that will be replaced, kept for the new one. */
  mode: number | null;
  /** `dev:ino` when the target exists. */
  identity: string | null;
}

export class OutputError extends Error {
  constructor(readonly option: OutputOption, readonly given: string, readonly reason: string) {
    super(`${option}: cannot write ${JSON.stringify(given)}: ${reason}`);
  }
}

const SPECIAL = /^\/(dev|proc)(\/|$)/;
const MAX_LINKS = 40;

function errCode(err: unknown): string | undefined {
  return (err as NodeJS.ErrnoException | null)?.code;
}

/**
 * Follows `path` to the file a write would reach: every symbolic link, relative targets
 * read from the folder of the link, a dangling last link giving the name it points at.
 */
export function resolveOutputPath(path: string): { target: string; exists: boolean; special: boolean } {
  let current = resolve(path);
  for (let hops = 0; hops <= MAX_LINKS; hops++) {
    if (SPECIAL.test(current)) return { target: current, exists: true, special: true };
    const folder = realpathSync(dirname(current));
    current = join(folder, basename(current));
    if (SPECIAL.test(current)) return { target: current, exists: true, special: true };
    let st;
    try {
      st = lstatSync(current);
    } catch (err) {
      if (errCode(err) === 'ENOENT') return { target: current, exists: false, special: false };
      throw err;
    }
    if (!st.isSymbolicLink()) return { target: current, exists: true, special: false };
    current = resolve(folder, readlinkSync(current));
  }
  const loop = new Error('too many levels of symbolic links') as NodeJS.ErrnoException;
  loop.code = 'ELOOP';
  throw loop;
}

/** Checks one output path; a problem is one line naming the option. */
export function planOutput(option: OutputOption, given: string): { ok: true; plan: OutputPlan } | { ok: false; line: string } {
  const refuse = (reason: string) => ({ ok: false as const, line: `${option}: cannot write ${JSON.stringify(given)}: ${reason}` });
  if (given.endsWith('/') || basename(given) === '.' || basename(given) === '..') return refuse('that names a directory; give a file name');
  let resolved;
  try {
    resolved = resolveOutputPath(given);
  } catch (err) {
    if (errCode(err) === 'ENOENT') return refuse(`the directory ${JSON.stringify(dirname(given))} does not exist`);
    return refuse(fsReason(err));
  }
  const { target } = resolved;
  if (resolved.special) {
    return { ok: true, plan: { option, given, target, direct: true, mode: null, identity: null } };
  }
  const folder = dirname(target);
  let mode: number | null = null;
  let identity: string | null = null;
  let direct = false;
  if (resolved.exists) {
    let st;
    try { st = statSync(target); } catch (err) { return refuse(fsReason(err)); }
    if (st.isDirectory()) return refuse('is a directory');
    identity = `${st.dev}:${st.ino}`;
    if (st.isFile()) {
      mode = st.mode & 0o7777;
      // Replacing by rename would succeed on a read-only file; refuse as a plain write would.
      try { accessSync(target, constants.W_OK); } catch (err) { return refuse(fsReason(err)); }
    } else {
      direct = true; // a device, a FIFO, a socket: written in place
    }
  }
  if (!direct) {
    try { accessSync(folder, constants.W_OK | constants.X_OK); } catch (err) {
      return refuse(`cannot create files in ${JSON.stringify(folder)}: ${fsReason(err)}`);
    }
  }
  return { ok: true, plan: { option, given, target, direct, mode, identity } };
}

/** The identity of the scenario file: its resolved path and `dev:ino`. */
export function inputIdentity(file: string): { target: string; identity: string | null } | null {
  if (file === '-') return null;
  try {
    const target = realpathSync(file);
    const st = statSync(target);
    return { target, identity: `${st.dev}:${st.ino}` };
  } catch {
    return { target: resolve(file), identity: null };
  }
}

function same(a: { target: string; identity: string | null }, b: { target: string; identity: string | null }): boolean {
  return a.target === b.target || (a.identity !== null && a.identity === b.identity);
}

/** Outputs that would overwrite the scenario or each other: refused before anything is written. */
export function outputClash(file: string, trace: OutputPlan | null, pcap: OutputPlan | null): string | null {
  const input = inputIdentity(file);
  if (trace !== null && input !== null && same(trace, input)) {
    return `--trace: ${JSON.stringify(trace.given)} is the scenario file itself; writing the trace there would destroy it`;
  }
  if (pcap !== null && input !== null && same(pcap, input)) {
    return `--pcap: ${JSON.stringify(pcap.given)} is the scenario file itself; writing the capture there would destroy it`;
  }
  if (pcap !== null && trace !== null && same(pcap, trace) && pcap.target !== '/dev/null') {
    return `--pcap: ${JSON.stringify(pcap.given)} is the same file as --trace ${JSON.stringify(trace.given)}; give each its own path`;
  }
  return null;
}

/** An output being written: a temporary file renamed over the target on success, or the target itself. */
/**
 * Creates a new temporary file `prefix` + a unique tail + `.halfopen-tmp`, exclusively ('wx':
 * O_CREAT|O_EXCL, so an existing file is never reused or clobbered; a name taken is tried
 * again with the next tail). The tail is the high-resolution clock and a counter, not
 * node:crypto: loading crypto cost ~15 ms of every command's start-up, for 4 random bytes.
 */
let tempSerial = 0;
function openTemp(prefix: string): { temp: string; fd: number } {
  for (let attempt = 0; ; attempt++) {
    const temp = `${prefix}${process.hrtime.bigint().toString(36)}${(tempSerial++).toString(36)}.halfopen-tmp`;
    try {
      return { temp, fd: openSync(temp, 'wx', 0o666) };
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST' || attempt >= 100) throw err;
    }
  }
}

export class OutputFile {
  private committed = false;
  private constructor(readonly plan: OutputPlan, public fd: number, readonly tempPath: string | null) {}

  /** Opens the file to write; throws OutputError. */
  static open(plan: OutputPlan): OutputFile {
    try {
      if (plan.direct) return new OutputFile(plan, openSync(plan.target, 'w'), null);
      // At most ~130 bytes of the name, so that the temporary name fits where the target's does (255).
      const stem = Buffer.from(basename(plan.target)).subarray(0, 100).toString('utf8').replace(/\uFFFD+$/, '');
      const { temp, fd } = openTemp(join(dirname(plan.target), `.${stem}.${process.pid}-`));
      const file = new OutputFile(plan, fd, temp);
      if (plan.mode !== null) {
        try { fchmodSync(fd, plan.mode); } catch { /* keep the default mode */ }
      }
      if (!fstatSync(fd).isFile()) { file.abandon(); throw new Error('not a regular file'); }
      return file;
    } catch (err) {
      throw new OutputError(plan.option, plan.given, fsReason(err));
    }
  }

  /** Closes and puts the file in place under its final name; throws OutputError. */
  commit(): void {
    try {
      if (this.fd >= 0) { closeSync(this.fd); this.fd = -1; }
      if (this.tempPath !== null) renameSync(this.tempPath, this.plan.target);
      this.committed = true;
    } catch (err) {
      this.abandon();
      throw new OutputError(this.plan.option, this.plan.given, fsReason(err));
    }
  }

  /** Closes and removes the temporary file; the target is left exactly as it was. */
  abandon(): void {
    if (this.committed) return;
    if (this.fd >= 0) { try { closeSync(this.fd); } catch { /* already closed */ } this.fd = -1; }
    if (this.tempPath !== null) { try { unlinkSync(this.tempPath); } catch { /* already gone */ } }
  }
}
