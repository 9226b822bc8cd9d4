/**
 * Per-frame helpers for the canvas painters (drawScene.ts, drawArrows.ts) that keep a frame
 * free of avoidable work: label widths are measured once per distinct (font, text) — the
 * labels are a few dozen strings ("PINGREQ", "keep-alive deadline"…), so after the first frame
 * `measureText` is never called again — and coordinates go into reusable typed arrays
 * instead of one object per arrow or bar.
 */

const widths = new Map<string, Map<string, number>>();

/**
 * Width of `s` in `font`. On a cache miss this sets `ctx.font`; callers set the font they
 * draw with right before drawing.
 */
export function textWidth(ctx: CanvasRenderingContext2D, font: string, s: string): number {
  let byText = widths.get(font);
  if (!byText) { byText = new Map(); widths.set(font, byText); }
  let w = byText.get(s);
  if (w === undefined) {
    ctx.font = font;
    w = ctx.measureText(s).width;
    if (byText.size < 5000) byText.set(s, w); // connection ids are many but bounded; stay bounded
  }
  return w;
}

/** A growable list of fixed-size number tuples, reset (not reallocated) every frame. */
export class TupleBuffer {
  data: Float64Array;
  n = 0;
  constructor(readonly size: number, capacity = 256) { this.data = new Float64Array(size * capacity); }
  reset(): void { this.n = 0; }
  /** Index of a fresh tuple; write its fields at data[i .. i + size). */
  push(): number {
    const at = this.n * this.size;
    if (at + this.size > this.data.length) {
      const grown = new Float64Array(this.data.length * 2);
      grown.set(this.data);
      this.data = grown;
    }
    this.n++;
    return at;
  }
}

/**
 * Pixels already taken by labels, per row of labels, with a margin: a label is placed only
 * where its whole span is free. O(label width) per check, no list of placed boxes to scan.
 */
export class LabelRows {
  private rows: Array<{ key: number; y: number; bits: Uint8Array; used: boolean }> = [];
  private readonly margin = 256;
  private width = 0;

  reset(width: number): void {
    if (width + 2 * this.margin !== this.width) {
      this.width = width + 2 * this.margin;
      this.rows = [];
    }
    for (const r of this.rows) if (r.used) { r.bits.fill(0); r.used = false; }
  }

  private index(x: number): number {
    return Math.max(0, Math.min(this.width - 1, Math.round(x) + this.margin));
  }

  /** True when [x0, x1] is free in every row of `region` whose y is within `dy` of `y`. */
  free(region: number, y: number, dy: number, x0: number, x1: number): boolean {
    const a = this.index(x0);
    const b = this.index(x1);
    for (const r of this.rows) {
      if (!r.used || r.key !== region || Math.abs(r.y - y) >= dy) continue;
      const bits = r.bits;
      if (bits[a] || bits[b]) return false;
      for (let i = a + 1; i < b; i++) if (bits[i]) return false;
    }
    return true;
  }

  take(region: number, y: number, x0: number, x1: number): void {
    let row = this.rows.find((r) => r.used && r.key === region && Math.abs(r.y - y) < 0.5);
    if (!row) row = this.rows.find((r) => !r.used);
    if (!row) { row = { key: region, y, bits: new Uint8Array(this.width), used: false }; this.rows.push(row); }
    if (!row.used) { row.key = region; row.y = y; row.used = true; }
    row.bits.fill(1, this.index(x0), this.index(x1) + 1);
  }
}
