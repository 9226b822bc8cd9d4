/**
 * Where the CLI's bytes go: standard output with backpressure and a quiet exit on EPIPE
 * (`halfopen run f --trace - | head` must not print a stack), and trace files that are
 * streamed while the run produces them and removed again if the run fails.
 */
import { closeSync, fstatSync, openSync, unlinkSync, writeSync } from 'node:fs';

let stdoutClosed = false;
process.stdout.on('error', (err: NodeJS.ErrnoException) => {
  // The reader went away (`| head`): nothing more can be said there. Leave quietly with the
  // status decided so far; files were already written synchronously.
  stdoutClosed = true;
  if (err.code === 'EPIPE' || err.code === 'ERR_STREAM_DESTROYED') process.exit(process.exitCode ?? 0);
  process.stderr.write(`halfopen: cannot write to standard output: ${err.message}\n`);
  process.exit(process.exitCode ?? 2);
});

/** Writes to standard output and waits while the pipe is full. */
export async function writeStdout(text: string): Promise<void> {
  if (stdoutClosed || text === '') return;
  if (!process.stdout.write(text)) {
    await new Promise<void>((resolve) => {
      process.stdout.once('drain', resolve);
      process.stdout.once('close', resolve);
    });
  }
}

export function writeStderr(line: string): void {
  process.stderr.write(line.endsWith('\n') ? line : line + '\n');
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
    case 'EROFS': return 'read-only file system';
    default: return err instanceof Error ? err.message : String(err);
  }
}

/**
 * A file written in chunks as the run goes. `discard()` removes it (only if it is a regular
 * file: `--trace /dev/stdout` must not unlink a device).
 */
export class StreamedFile {
  private fd: number;
  private buffer = '';
  private readonly regular: boolean;

  constructor(readonly path: string) {
    this.fd = openSync(path, 'w');
    this.regular = fstatSync(this.fd).isFile();
  }

  write(text: string): void {
    this.buffer += text;
    if (this.buffer.length >= 1 << 20) this.flush();
  }

  flush(): void {
    if (this.buffer !== '') { writeSync(this.fd, this.buffer); this.buffer = ''; }
  }

  finish(): void {
    this.flush();
    closeSync(this.fd);
    this.fd = -1;
  }

  discard(): void {
    this.buffer = '';
    if (this.fd >= 0) { try { closeSync(this.fd); } catch { /* already closed */ } this.fd = -1; }
    if (this.regular) { try { unlinkSync(this.path); } catch { /* already gone */ } }
  }
}
