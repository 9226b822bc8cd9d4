import { describe, expect, it } from 'vitest';
import { renderToStaticMarkup } from 'react-dom/server';
import { GroupTopology, GROUPS_DRAWN } from '../../app/fleet/GroupTopology.tsx';
import type { FleetReport } from '../../sim/index.ts';

/** A report with `n` groups of 3 devices; group i has i % 3 believed online, 1 alive, from the first bucket on. */
function report(n: number): FleetReport {
  const buckets = 4;
  const groupBelieved = new Float64Array(n * buckets);
  const groupAlive = new Float64Array(n * buckets);
  for (let i = 0; i < n; i++) for (let b = 0; b < buckets; b++) { groupBelieved[i * buckets + b] = i % 3; groupAlive[i * buckets + b] = 1; }
  return { groups: Array.from({ length: n }, (_, i) => ({ id: `g${i}`, count: 3 })), series: { bucketMs: 1000, buckets, groupBelieved, groupAlive } } as unknown as FleetReport;
}
const draw = (n: number) => renderToStaticMarkup(<GroupTopology report={report(n)} broker="broker" cursorMs={2500} onPick={() => {}} />);
const nodes = (html: string) => [...html.matchAll(/role="button"[^>]*aria-label="([^"]+)"/g)].map((m) => m[1]!);

describe('the fleet topology of groups', () => {
  it('draws every group of a small fleet, each with its levels at the cursor, and no note', () => {
    const html = draw(5);
    expect(nodes(html)).toHaveLength(5);
    expect(nodes(html)[2]).toBe('g2 ×3: 1 alive · 2 online (3 devices, 2 believed online by the broker, 1 truly alive)');
    expect((html.match(/<line /g) ?? []).length).toBe(5);
    expect(html).not.toContain('more groups');
  });

  it(`draws ${GROUPS_DRAWN} - 1 of 200 groups and says where the rest are`, () => {
    const html = draw(200);
    expect(nodes(html)).toHaveLength(GROUPS_DRAWN - 1);
    expect(nodes(html)[0]!.startsWith('g0 ×3')).toBe(true);
    expect((html.match(/<line /g) ?? []).length).toBe(GROUPS_DRAWN - 1);
    expect(html).toContain(`and ${200 - GROUPS_DRAWN + 1} more groups: all 200 are in the Groups table below`);
    const h = Number(/viewBox="0 0 300 (\d+)"/.exec(html)![1]);
    expect(h).toBeLessThan(800);
  });

  it('draws exactly GROUPS_DRAWN groups without a note', () => {
    expect(nodes(draw(GROUPS_DRAWN))).toHaveLength(GROUPS_DRAWN);
    expect(draw(GROUPS_DRAWN)).not.toContain('more groups');
  });
});
