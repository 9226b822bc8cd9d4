/**
 * The fleet's topology: the broker in the middle and each client group as one node with its
 * count, and how many of its devices the broker believes online and are truly alive at the
 * cursor. (The Topology region draws single devices; a group of 10,000 is one node here.)
 */
import type { JSX } from 'react';
import type { FleetReport } from '../../sim/index.ts';
import { levelAt, num } from './words.ts';

/**
 * Groups drawn at most. Beyond a few dozen the fan of links says nothing more, and a
 * near-limit scenario of 200 single clients (200 groups of one) made this picture 5,000 px
 * tall: ~1,000 SVG elements to lay out and paint when the run arrives, and a long scroll down
 * to the Groups table, which lists every group.
 */
export const GROUPS_DRAWN = 24;

export function GroupTopology(props: { report: FleetReport; broker: string; cursorMs: number; onPick(group: number): void }): JSX.Element {
  const { report: f, cursorMs } = props;
  const s = f.series;
  const groups = f.groups.length > GROUPS_DRAWN ? f.groups.slice(0, GROUPS_DRAWN - 1) : f.groups;
  const more = f.groups.length - groups.length;
  const W = 300;
  const rows = Math.ceil(groups.length / 2) + (more > 0 ? 1 : 0);
  const H = 60 + 46 * rows;
  const bx = W / 2;
  const by = 30;
  // Where each drawn group sits and its levels at the cursor (links and boxes both read them).
  const placed = groups.map((g, i) => {
    const believed = levelAt(s.groupBelieved, s.bucketMs, cursorMs, i * s.buckets, s.buckets);
    const alive = levelAt(s.groupAlive, s.bucketMs, cursorMs, i * s.buckets, s.buckets);
    return { g, i, gx: i % 2 === 0 ? 70 : W - 70, gy: 80 + 46 * Math.floor(i / 2), believed, alive, lie: believed > alive };
  });
  return (
    <svg viewBox={`0 0 ${W} ${H}`} className="fleet-topology" role="group" aria-label="Fleet topology: groups">
      {/* Every link first, then every node: a link drawn after an earlier group's box would
          cross its words (with many groups the links fan over the boxes above them). */}
      {placed.map(({ g, gx, gy, lie }) => (
        <line key={g.id} x1={bx} y1={by} x2={gx} y2={gy} className={lie ? 'fleet-link lie' : 'fleet-link'} />
      ))}
      {placed.map(({ g, i, gx, gy, believed, alive, lie }) => {
        return (
          <g key={g.id} role="button" tabIndex={0} className="fleet-group-node"
            // The name starts with the words shown (WCAG 2.5.3, label in name), then says them whole.
            aria-label={`${g.id} ×${num(g.count)}: ${num(alive)} alive · ${num(believed)} online (${num(g.count)} device${g.count === 1 ? '' : 's'}, ${num(believed)} believed online by the broker, ${num(alive)} truly alive)`}
            onClick={() => props.onPick(i)} onKeyDown={(ev) => { if (ev.key === 'Enter' || ev.key === ' ') { ev.preventDefault(); props.onPick(i); } }}>
            <rect x={gx - 62} y={gy - 17} width={124} height={34} rx={8} className={lie ? 'lie' : ''} />
            {/* Each text ends in a space: axe and screen readers join SVG texts without one. */}
            <text x={gx} y={gy - 3} textAnchor="middle" className="name">{g.id} ×{num(g.count)}{' '}</text>
            <text x={gx} y={gy + 11} textAnchor="middle" className="sub">{num(alive)} alive · {num(believed)} online{' '}</text>
          </g>
        );
      })}
      {more > 0 && (
        <text x={bx} y={80 + 46 * (rows - 1) + 4} textAnchor="middle" className="sub">
          and {num(more)} more groups: all {num(f.groups.length)} are in the Groups table below{' '}
        </text>
      )}
      <g aria-label={`broker ${props.broker}`}>
        <rect x={bx - 45} y={by - 14} width={90} height={28} rx={6} className="fleet-broker" />
        <text x={bx} y={by + 4} textAnchor="middle" className="name">{props.broker}{' '}</text>
      </g>
    </svg>
  );
}
