/**
 * Reads a scenario file for the CLI: the file (or `-` for standard input), then
 * parseScenarioText. Every failure becomes lines for standard error, each starting with the
 * file name (unreadable file) or the JSON path of the offending value (CONTRACT.md section 1).
 *
 * The file is read in chunks and reading stops at LIMITS.textBytes, so endless input
 * (`/dev/zero`, `yes |`) is refused after 64 MiB instead of filling memory. The bytes must be
 * UTF-8: a decoder would silently turn other bytes into U+FFFD, so the file is refused with
 * the offset of the first bad byte.
 */
import { closeSync, fstatSync, openSync, readSync } from 'node:fs';
import { parseScenarioText } from '../scenario/parse.ts';
import { findInvalidUtf8 } from '../scenario/json-text.ts';
import type { ScenarioV1 } from '../scenario/types.ts';
import { LIMITS, sizeInWords } from '../scenario/limits.ts';
import { fsReason, sleepMs, writeStderr } from './output.ts';

export type Loaded = { ok: true; scenario: ScenarioV1 } | { ok: false; lines: string[] };
export type Read = { ok: true; bytes: Buffer } | { ok: false; line: string };

const CHUNK = 1 << 20;

/** Reads at most `limit` bytes of FILE (or standard input); more is an error, never read whole. */
export function readInput(file: string, limit: number = LIMITS.textBytes): Read {
  const name = file === '-' ? 'standard input' : 'the file';
  let fd: number;
  try {
    fd = file === '-' ? 0 : openSync(file, 'r');
  } catch (err) {
    return { ok: false, line: `${file}: cannot read ${name}: ${fsReason(err)}` };
  }
  try {
    if (fstatSync(fd).isDirectory()) return { ok: false, line: `${file}: cannot read ${name}: is a directory` };
    const chunks: Buffer[] = [];
    let total = 0;
    for (;;) {
      const chunk = Buffer.allocUnsafe(Math.min(CHUNK, limit + 1 - total));
      let n: number;
      try {
        n = readSync(fd, chunk, 0, chunk.length, null);
      } catch (err) {
        // A non-blocking standard input (a pipe or terminal shared with another process).
        if ((err as NodeJS.ErrnoException).code === 'EAGAIN') { sleepMs(5); continue; }
        throw err;
      }
      if (n === 0) break;
      total += n;
      if (total > limit) {
        return { ok: false, line: `${file}: ${name} is larger than ${sizeInWords(limit)}, the limit for a scenario; nothing was run` };
      }
      chunks.push(n === chunk.length ? chunk : chunk.subarray(0, n));
    }
    return { ok: true, bytes: Buffer.concat(chunks, total) };
  } catch (err) {
    return { ok: false, line: `${file}: cannot read ${name}: ${fsReason(err)}` };
  } finally {
    if (fd !== 0) { try { closeSync(fd); } catch { /* nothing to do */ } }
  }
}

/** UTF-8 bytes to text, refusing anything that is not UTF-8 (a leading BOM is kept for the parser). */
export function decodeText(bytes: Uint8Array): { ok: true; text: string } | { ok: false; line: string } {
  if ((bytes[0] === 0xff && bytes[1] === 0xfe) || (bytes[0] === 0xfe && bytes[1] === 0xff)) {
    return { ok: false, line: '(root): the file is UTF-16 text; save it as UTF-8' };
  }
  try {
    return { ok: true, text: new TextDecoder('utf-8', { fatal: true, ignoreBOM: true }).decode(bytes) };
  } catch {
    const bad = findInvalidUtf8(bytes);
    const where = bad === null ? '' : ` at byte offset ${bad.offset} (line ${bad.line}): byte 0x${bad.byte.toString(16).toUpperCase().padStart(2, '0')}, ${bad.message}`;
    return { ok: false, line: `(root): the file is not UTF-8 text${where}` };
  }
}

export function loadScenario(file: string): Loaded {
  const read = readInput(file);
  if (!read.ok) return { ok: false, lines: [read.line] };
  const decoded = decodeText(read.bytes);
  if (!decoded.ok) return { ok: false, lines: [decoded.line] };
  const parsed = parseScenarioText(decoded.text);
  if (!parsed.ok) return { ok: false, lines: parsed.problems.map((p) => `${p.path}: ${p.message}`) };
  return { ok: true, scenario: parsed.scenario };
}

export function printProblems(lines: readonly string[]): void {
  for (const line of lines) writeStderr(line);
}
