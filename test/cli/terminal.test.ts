// The pure parts of the CLI's terminal handling (issue 10): when a progress line is drawn,
// what is escaped, how sizes are said, where bytes stop being UTF-8.
import { describe, expect, it } from 'vitest';
import { escapeControls, escapeTraceLine, progressText, progressWanted } from '../../sim/cli/terminal.ts';
import { sizeInWords } from '../../sim/scenario/limits.ts';
import { findInvalidUtf8 } from '../../sim/scenario/json-text.ts';

describe('progressWanted', () => {
  it('only for a terminal that can move the cursor, and not over a trace printed on the same terminal', () => {
    expect(progressWanted({ stderrIsTTY: true, term: 'xterm', traceToTTY: false })).toBe(true);
    expect(progressWanted({ stderrIsTTY: true, term: undefined, traceToTTY: false })).toBe(true);
    expect(progressWanted({ stderrIsTTY: false, term: 'xterm', traceToTTY: false })).toBe(false);
    expect(progressWanted({ stderrIsTTY: true, term: 'dumb', traceToTTY: false })).toBe(false);
    expect(progressWanted({ stderrIsTTY: true, term: 'xterm', traceToTTY: true })).toBe(false);
  });
  it('says where the run is', () => {
    expect(progressText(12_345, 120_000, 1_234_567)).toBe('halfopen: 12.3 s of 120.0 s virtual time (10 %), 1,234,567 events');
  });
});

describe('escapeControls', () => {
  it('escapes C0, DEL, C1 and bidi controls, and nothing else', () => {
    expect(escapeControls('a\u001b[2Jb\u0007\n\u007f\u009b\u202e\u2066é✓')).toBe('a\\u001b[2Jb\\u0007\\u000a\\u007f\\u009b\\u202e\\u2066é✓');
    expect(escapeTraceLine('{"p":"\u009b\u202e"}\n')).toBe('{"p":"\\u009b\\u202e"}\n');
    expect(JSON.parse(escapeTraceLine('{"p":"\u009b\u202e"}'))).toEqual({ p: '\u009b\u202e' });
  });
});

describe('sizeInWords', () => {
  it('uses binary units in words', () => {
    expect(sizeInWords(64 * 1024 * 1024)).toBe('64 MiB');
    expect(sizeInWords(10 * 1024 * 1024)).toBe('10 MiB');
    expect(sizeInWords(1536)).toBe('1.5 KiB');
    expect(sizeInWords(10)).toBe('10 bytes');
  });
});

describe('findInvalidUtf8', () => {
  const at = (bytes: number[]) => findInvalidUtf8(Uint8Array.from(bytes));
  it('accepts UTF-8 and names the first bad byte with its offset and line', () => {
    expect(at([...Buffer.from('a\né€😀')])).toBeNull();
    expect(at([0x61, 0x0a, 0x62, 0xff])).toMatchObject({ offset: 3, byte: 0xff, line: 2 });
    expect(at([0x61, 0xc3])).toMatchObject({ offset: 1, message: 'the file ends in the middle of a character' });
    expect(at([0xc0, 0x80])).toMatchObject({ offset: 0 }); // overlong
    expect(at([0xed, 0xa0, 0x80])).toMatchObject({ offset: 0 }); // a surrogate
    expect(at([0x80])).toMatchObject({ offset: 0, message: 'a continuation byte with no character to continue' });
  });
});
