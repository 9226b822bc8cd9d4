/**
 * Where the CLI's bytes go. Human text (problems, summaries) is escaped (terminal.ts) and goes
 * to standard error or standard output; standard output keeps a quiet exit on EPIPE
 * (`halfopen validate f | head` must not print a stack). Bulk output (the trace) is written
 * synchronously in chunks to a file descriptor with `writeAllSync`, which waits out a full
 * non-blocking pipe (EAGAIN) instead of buffering the trace in memory.
 */
import { writeSync } from 'node:fs';
import { escapeControls } from './terminal.ts';

let stdoutClosed = false;
let guarded = false;
/**
 * Called by the command (main.ts), not on import, so that the programmatic API (api.ts) never
 * installs a handler that ends the host process.
 */
export function guardStdout(): void {
  if (guarded) return;
  guarded = true;
  process.stdout.on('error', (err: NodeJS.ErrnoException) => {
    // The reader went away (`| head`): nothing more can be said there. Leave quietly with the
    // status decided so far.
    stdoutClosed = true;
    if (err.code === 'EPIPE' || err.code === 'ERR_STREAM_DESTROYED') process.exit(process.exitCode ?? 0);
    process.stderr.write(`halfopen: cannot write to standard output: ${err.message}\n`);
    process.exit(process.exitCode ?? 2);
  });
}

/** Writes lines (each escaped, then ended by '\n') to standard output, waiting while the pipe is full. */
export async function writeStdout(text: string): Promise<void> {
  if (stdoutClosed || text === '') return;
  if (!process.stdout.write(escapeLines(text))) {
    await new Promise<void>((resolve) => {
      process.stdout.once('drain', resolve);
      process.stdout.once('close', resolve);
    });
  }
}

/** One line (or several) for standard error, control characters escaped. */
export function writeStderr(line: string): void {
  process.stderr.write(escapeLines(line.endsWith('\n') ? line : line + '\n'));
}

/** Escapes every line of `text` but keeps the line breaks between them. */
export function escapeLines(text: string): string {
  return text.split('\n').map(escapeControls).join('\n');
}

/** Explains a file system error code in words. */
export function fsReason(err: unknown): string {
  const code = (err as NodeJS.ErrnoException | null)?.code;
  switch (code) {
    case 'ENOENT': return 'no such file or directory';
    case 'EACCES': case 'EPERM': return 'permission denied';
    case 'EISDIR': return 'is a directory';
    case 'ENOTDIR': return 'a part of the path is not a directory';
    case 'ENOSPC': return 'no space left on the device';
    case 'EDQUOT': return 'disk quota exceeded';
    case 'EROFS': return 'read-only file system';
    case 'ELOOP': return 'too many levels of symbolic links';
    case 'EFBIG': return 'the file is too large for the file system';
    case 'EIO': return 'input/output error';
    case 'ENAMETOOLONG': return 'the name is too long';
    default: return err instanceof Error ? err.message : String(err);
  }
}

const sleeper = new Int32Array(new SharedArrayBuffer(4));
/** Blocks this thread for `ms` milliseconds (the run is synchronous; there is nothing else to do). */
export function sleepMs(ms: number): void {
  Atomics.wait(sleeper, 0, 0, ms);
}

/** The reader of a pipe went away (EPIPE): stop writing, quietly. */
export class ReaderGone extends Error {}

/**
 * Writes all of `bytes` to `fd`, synchronously: partial writes are continued, a full
 * non-blocking pipe (EAGAIN) is waited out, EPIPE becomes ReaderGone, any other error is thrown.
 */
export function writeAllSync(fd: number, bytes: Uint8Array): void {
  let offset = 0;
  let waitMs = 1;
  while (offset < bytes.length) {
    try {
      offset += writeSync(fd, bytes, offset, bytes.length - offset);
      waitMs = 1;
    } catch (err) {
      const code = (err as NodeJS.ErrnoException).code;
      if (code === 'EAGAIN') { sleepMs(waitMs); waitMs = Math.min(waitMs * 2, 50); continue; }
      if (code === 'EPIPE') throw new ReaderGone('the reader went away');
      throw err;
    }
  }
}
