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
 * Rows are kept per region (a lane box): with 200 lanes a frame has hundreds of rows, and
 * scanning all of them for every label was half of a frame's drawing time.
 */
type LabelRow = { y: number; bits: Uint8Array };
export class LabelRows {
  private readonly byRegion = new Map<number, LabelRow[]>();
  private spare: LabelRow[] = [];
  private readonly margin = 256;
  private width = 0;

  reset(width: number): void {
    const resized = width + 2 * this.margin !== this.width;
    if (resized) { this.width = width + 2 * this.margin; this.spare = []; }
    // Rows of the old width are dropped; the others are cleared for this frame.
    if (!resized) for (const rows of this.byRegion.values()) for (const r of rows) { r.bits.fill(0); this.spare.push(r); }
    this.byRegion.clear();
  }

  private index(x: number): number {
    return Math.max(0, Math.min(this.width - 1, Math.round(x) + this.margin));
  }

  /** True when [x0, x1] is free in every row of `region` whose y is within `dy` of `y`. */
  free(region: number, y: number, dy: number, x0: number, x1: number): boolean {
    const rows = this.byRegion.get(region);
    if (!rows) return true;
    const a = this.index(x0);
    const b = this.index(x1);
    for (const r of rows) {
      if (Math.abs(r.y - y) >= dy) continue;
      const bits = r.bits;
      if (bits[a] || bits[b]) return false;
      for (let i = a + 1; i < b; i++) if (bits[i]) return false;
    }
    return true;
  }

  take(region: number, y: number, x0: number, x1: number): void {
    let rows = this.byRegion.get(region);
    if (!rows) { rows = []; this.byRegion.set(region, rows); }
    let row = rows.find((r) => Math.abs(r.y - y) < 0.5);
    if (!row) {
      row = this.spare.pop() ?? { y, bits: new Uint8Array(this.width) };
      row.y = y;
      rows.push(row);
    }
    row.bits.fill(1, this.index(x0), this.index(x1) + 1);
  }
}
