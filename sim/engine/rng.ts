/**
 * Seeded pseudo-random streams: sfc32 (Chris Doty-Humphrey's Small Fast Counting generator),
 * seeded through splitmix32 from the run's seed and an FNV-1a hash of the stream's name.
 *
 * Every stream is independent of the others and of the order in which streams are created,
 * so adding a random draw in one layer (say, link jitter) never shifts another (TCP ISNs).
 * Only 32-bit integer arithmetic (Math.imul, `>>> 0`) is used: identical in every JS engine.
 * Leaves out: floats. `chance(p)` compares an integer draw with floor(p * 2^32).
 */
import type { Rng } from './types.ts';

const TWO_32 = 4294967296;

/** FNV-1a over the UTF-16 code units of `s` (32-bit). */
export function fnv1a32(s: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < s.length; i++) {
    h ^= s.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return h >>> 0;
}

/** splitmix32 finaliser: a bijective 32-bit mix. */
function mix32(z: number): number {
  z = Math.imul(z ^ (z >>> 16), 0x85ebca6b);
  z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35);
  return (z ^ (z >>> 16)) >>> 0;
}

class Sfc32 implements Rng {
  private a: number;
  private b: number;
  private c: number;
  private d: number;

  constructor(seed: number, stream: string) {
    const lo = seed >>> 0;
    const hi = Math.floor(seed / TWO_32) >>> 0;
    // splitmix32 state: a mix of seed (both halves) and the stream hash.
    let s = (mix32(lo) ^ mix32((hi + 0x6a09e667) >>> 0) ^ mix32(fnv1a32(stream) ^ 0xbb67ae85)) >>> 0;
    const next = (): number => {
      s = (s + 0x9e3779b9) >>> 0;
      return mix32(s);
    };
    this.a = next();
    this.b = next();
    this.c = next();
    this.d = 1; // sfc32's counter
    for (let i = 0; i < 12; i++) this.nextU32();
  }

  nextU32(): number {
    const t = (((this.a + this.b) >>> 0) + this.d) >>> 0;
    this.d = (this.d + 1) >>> 0;
    this.a = (this.b ^ (this.b >>> 9)) >>> 0;
    this.b = (this.c + (this.c << 3)) >>> 0;
    this.c = ((this.c << 21) | (this.c >>> 11)) >>> 0;
    this.c = (this.c + t) >>> 0;
    return t;
  }

  intBelow(n: number): number {
    if (!Number.isInteger(n) || n < 1) throw new RangeError(`intBelow: n must be a positive integer, got ${n}`);
    if (n === 1) return 0;
    if (n <= TWO_32) {
      // Rejection sampling: no modulo bias. All values are exact integers below 2^53.
      const limit = TWO_32 - (TWO_32 % n);
      for (;;) {
        const x = this.nextU32();
        if (x < limit) return x % n;
      }
    }
    if (n > Number.MAX_SAFE_INTEGER) throw new RangeError(`intBelow: n too large (${n})`);
    const span = 2097152 * TWO_32; // 2^53
    const limit = span - (span % n);
    for (;;) {
      const x = (this.nextU32() & 0x1fffff) * TWO_32 + this.nextU32();
      if (x < limit) return x % n;
    }
  }

  intInclusive(lo: number, hi: number): number {
    if (hi < lo) throw new RangeError(`intInclusive: empty range [${lo}, ${hi}]`);
    return lo + this.intBelow(hi - lo + 1);
  }

  chance(p: number): boolean {
    if (p <= 0) return false;
    if (p >= 1) return true;
    return this.nextU32() < Math.floor(p * TWO_32);
  }
}

/** An independent stream for (seed, stream name). Same inputs, same sequence, everywhere. */
export function createRng(seed: number, stream: string): Rng {
  return new Sfc32(seed, stream);
}
