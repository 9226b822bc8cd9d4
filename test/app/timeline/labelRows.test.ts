import { describe, expect, it } from 'vitest';
import { LabelRows } from '../../../app/timeline/canvasCache.ts';

describe('LabelRows: where a timeline label may still go', () => {
  it('a span is taken only in its own region and near its own row', () => {
    const rows = new LabelRows();
    rows.reset(800);
    expect(rows.free(3, 100, 11, 10, 60)).toBe(true);
    rows.take(3, 100, 10, 60);
    expect(rows.free(3, 100, 11, 50, 90)).toBe(false); // overlaps at 50..60
    expect(rows.free(3, 105, 11, 20, 30)).toBe(false); // inside, a row 5 px away
    expect(rows.free(3, 100, 11, 61, 90)).toBe(true); // right of it
    expect(rows.free(3, 120, 11, 20, 30)).toBe(true); // 20 px below: another row
    expect(rows.free(4, 100, 11, 20, 30)).toBe(true); // another lane box
    rows.take(3, 100, 70, 80); // the same row again
    expect(rows.free(3, 100, 11, 65, 75)).toBe(false);
  });

  it('reset frees everything, also after the width changes', () => {
    const rows = new LabelRows();
    for (const width of [800, 800, 1200, 1200]) {
      rows.reset(width);
      for (let region = 0; region < 300; region++) {
        expect(rows.free(region, region * 10, 11, 0, 500)).toBe(true);
        rows.take(region, region * 10, 0, 500);
        expect(rows.free(region, region * 10, 11, 400, 450)).toBe(false);
      }
    }
  });

  it('spans off either edge are clamped, not lost', () => {
    const rows = new LabelRows();
    rows.reset(400);
    rows.take(0, 0, -1000, -900);
    expect(rows.free(0, 0, 11, -2000, -1500)).toBe(false); // both clamp to the left margin's edge
    rows.take(0, 0, 2000, 2100);
    expect(rows.free(0, 0, 11, 5000, 6000)).toBe(false);
    expect(rows.free(0, 0, 11, 100, 200)).toBe(true);
  });
});
