/**
 * The topology's layout (app/topology/topologyLayout.ts): with many clients the nodes shrink and
 * their words move to their left, so no node or label box runs into another (issue 12: "labels at
 * the broker still crowd each other"; the links then leave out the words at the broker's end);
 * a client group keeps its count.
 */
import { describe, expect, it } from 'vitest';
import { topologyLayout } from '../../app/topology/topologyLayout.ts';

/** The box a node and its two lines of words take (words ~7 px per character at 12 px). */
function box(n: ReturnType<typeof topologyLayout>['nodes'][number]): { x0: number; x1: number; y0: number; y1: number } {
  const words = Math.max(n.id.length, 12) * 7;
  return n.labels === 'left'
    ? { x0: n.x - n.r - 6 - words, x1: n.x + n.r, y0: n.y - Math.max(n.r, 12), y1: n.y + Math.max(n.r, 12) }
    : { x0: n.x - Math.max(n.r, words / 2), x1: n.x + Math.max(n.r, words / 2), y0: n.y - n.r, y1: n.y + n.r + 30 };
}
const overlap = (a: ReturnType<typeof box>, b: ReturnType<typeof box>): boolean =>
  a.x0 < b.x1 && b.x0 < a.x1 && a.y0 < b.y1 && b.y0 < a.y1;

describe('topology layout', () => {
  it('up to five clients: large nodes, words under them, not crowded', () => {
    const l = topologyLayout('broker', ['a', 'b', 'c'], 440, 250);
    expect(l.crowded).toBe(false);
    expect(l.nodes.slice(1).every((n) => n.r === 22 && n.labels === 'below')).toBe(true);
  });

  it.each([6, 8, 11, 16])('%i clients: crowded, small nodes with words to their left, no two boxes overlap', (n) => {
    const ids = Array.from({ length: n }, (_, i) => `sensor-${i + 1}`);
    const l = topologyLayout('broker', ids, 440, 250);
    expect(l.crowded).toBe(true);
    const clients = l.nodes.slice(1);
    expect(clients.every((c) => c.r === 11 && c.labels === 'left')).toBe(true);
    for (let i = 0; i < clients.length; i++) {
      expect(box(clients[i]!).x0).toBeGreaterThanOrEqual(0);
      for (let j = i + 1; j < clients.length; j++) expect(overlap(box(clients[i]!), box(clients[j]!)), `${clients[i]!.id} / ${clients[j]!.id}`).toBe(false);
    }
  });

  it('a group is one node with its count', () => {
    const l = topologyLayout('broker', [{ id: 'dev', count: 30 }, 'dash'], 440, 250);
    expect(l.nodes.map((x) => [x.id, x.count])).toEqual([['broker', undefined], ['dev', 30], ['dash', undefined]]);
  });
});
