import { describe, expect, it } from 'vitest';
import { stepPoints } from '../../app/fleet/Chart.tsx';
import { levelAt } from '../../app/fleet/words.ts';

/** The value a step line (curveStepAfter) shows at time t: that of the last corner at or before t. */
function shown(pts: [number, number][], t: number): number {
  let v = NaN;
  for (const [pt, pv] of pts) if (pt <= t) v = pv;
  return v;
}

describe('fleet chart steps', () => {
  // Levels after each bucket's last event, as FleetSeries holds them: 0, 200, 200, 150, 150.
  const levels = [200, 200, 150, 150, 120];
  const geo = { bucketMs: 1000, buckets: levels.length, endMs: 4500 };

  it('a level line shows at every time what the words at the cursor say (levelAt)', () => {
    const pts = stepPoints({ ...geo, levels: true }, (b) => levels[b]!, 0);
    for (let t = 0; t < geo.endMs; t += 250) expect([t, shown(pts, t)]).toEqual([t, levelAt(levels, geo.bucketMs, t)]);
    expect(pts[0]).toEqual([0, 0]); // nobody is connected when the run starts
    // The run's last (short) bucket ends with the run: its level is the one at the end.
    expect(pts.at(-1)).toEqual([4500, 120]);
  });

  it('a per-bucket value (a CONNACK latency) fills its own bucket', () => {
    const pts = stepPoints(geo, (b) => levels[b]!, 0);
    expect(pts.slice(0, 3)).toEqual([[0, 200], [1000, 200], [2000, 150]]);
    expect(shown(pts, 2500)).toBe(150);
  });
});
