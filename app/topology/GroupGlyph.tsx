/**
 * A client group (`count` in the scenario) in the Topology: a stack of circles, its name with its
 * count and how many of its devices are alive and online at the cursor, and one
 * bundle of lines to the broker for its links. Numbers come from the Fleet report when the
 * run has one (every device counted, even in a sampled run), else from the world at the
 * cursor (every member is in it). The accessible name starts with the words shown: "dev ×30: 30 up · 30 connected (a group of 30 devices)".
 */
import type { JSX } from 'react';
import type { LinkView, WorldView } from '../../sim/index.ts';
import type { FleetData } from '../fleet/fleetData.ts';
import { levelAt, num } from '../fleet/words.ts';
import type { NodePos } from './topologyLayout.ts';

/** Whether a node id is a member of group `g` (sim memberIds: `g-` then digits). */
export const isMemberOf = (id: string, g: string): boolean => id.length > g.length + 1 && id.startsWith(`${g}-`) && /^\d+$/.test(id.slice(g.length + 1));

/** `none`: no run to count from yet (it is computing, or it failed). */
export interface GroupState { count: number; alive: number; online: number; source: 'fleet' | 'world' | 'none' }

export function groupState(p: NodePos, world: WorldView | null, fleet: FleetData | null, cursorMs: number): GroupState {
  const count = p.count ?? 1;
  const i = fleet ? fleet.report.groups.findIndex((g) => g.id === p.id) : -1;
  if (fleet && i >= 0) {
    const s = fleet.report.series;
    return {
      count, source: 'fleet',
      alive: levelAt(s.groupAlive, s.bucketMs, cursorMs, i * s.buckets, s.buckets),
      online: levelAt(s.groupBelieved, s.bucketMs, cursorMs, i * s.buckets, s.buckets),
    };
  }
  if (world === null) return { count, alive: 0, online: 0, source: 'none' };
  let alive = 0;
  let online = 0;
  for (const [id, n] of Object.entries(world?.nodes ?? {})) {
    if (!isMemberOf(id, p.id)) continue;
    if (n.host === 'up') alive++;
    if (n.client?.state === 'connected') online++;
  }
  return { count, alive, online, source: 'world' };
}

export function groupWords(st: GroupState): string {
  // Short: it stands under a node at the drawing's left edge ("online": as the broker believes).
  if (st.source === 'none') return 'not run yet';
  return st.source === 'fleet'
    ? `${num(st.alive)} alive · ${num(st.online)} online`
    : `${num(st.alive)} up · ${num(st.online)} connected`;
}

export function GroupGlyph({ p, st, selected, onClick }: {
  p: NodePos; st: GroupState; selected: boolean; onClick(ev: React.MouseEvent): void;
}): JSX.Element {
  const r = p.r;
  const shown = p.id.length > 14 ? `${p.id.slice(0, 13)}…` : p.id;
  const name = `${shown} ×${num(st.count)}`;
  const sub = groupWords(st);
  const lie = st.source === 'fleet' && st.online > st.alive;
  const left = p.labels === 'left';
  // Under the node its words start at the stack's left edge (centred, they ran off the drawing).
  const lx = left ? p.x - r - 10 : p.x - r - 8;
  const ly = left ? p.y - 2 : p.y + r + 14;
  return (
    <g className={`node client group${selected ? ' selected' : ''}${lie ? ' lie' : ''}`} onClick={onClick}
      role="button" tabIndex={0}
      // The name starts with the words shown (WCAG 2.5.3, label in name), then says it is a group.
      aria-label={`${name}: ${sub} (a group of ${num(st.count)} devices${st.source === 'fleet' ? '; online as the broker believes' : ''}${shown !== p.id ? `, full name ${p.id}` : ''})`}
      onKeyDown={(ev) => { if (ev.key === 'Enter' || ev.key === ' ') { ev.preventDefault(); onClick(ev as unknown as React.MouseEvent); } }}>
      {/* The stack: two circles behind, offset up-left, say "many of these". */}
      <circle cx={p.x - 6} cy={p.y - 6} r={r} className="stack" />
      <circle cx={p.x - 3} cy={p.y - 3} r={r} className="stack" />
      <circle cx={p.x} cy={p.y} r={r} />
      <text x={lx} y={ly} className={`node-label ${left ? 'left' : 'start'}`} aria-hidden="true">{name}{' '}</text>
      <text x={lx} y={ly + (left ? 12 : 13)} className={`node-sub ${left ? 'left' : 'start'}${lie ? ' lie' : ''}`} aria-hidden="true">{sub}{' '}</text>
    </g>
  );
}

/** The group's links as one bundle of three lines, cut or lossy when all of its drawn links are. */
export function GroupLinkGlyph({ a, b, links, count, onClick }: {
  a: NodePos; b: NodePos; links: LinkView[]; count: number; onClick(ev: React.MouseEvent): void;
}): JSX.Element {
  const dx = b.x - a.x; const dy = b.y - a.y;
  const len = Math.hypot(dx, dy) || 1;
  const ux = dx / len; const uy = dy / len;
  const cut = links.length > 0 && links.every((l) => l.cutUp || l.cutDown);
  const lossy = !cut && links.length > 0 && links.every((l) => l.loss > 0);
  const latency = links[0]?.latencyMs;
  const words = [`${num(count)} links`, ...(latency !== undefined ? [`${latency} ms`] : []), ...(cut ? ['cut'] : lossy ? [`loss ${Math.round((links[0]!.loss) * 100)}%`] : [])];
  const sx = a.x + ux * (a.r + 2); const sy = a.y + uy * (a.r + 2);
  const ex = b.x - ux * (b.r + 4); const ey = b.y - uy * (b.r + 4);
  const cls = cut ? 'lane cut' : lossy ? 'lane lossy' : 'lane up';
  return (
    <g className="link group-link" onClick={onClick} role="button" tabIndex={0}
      aria-label={`Links ${a.id} (${num(count)} devices) – ${b.id}: ${words.join(' · ')}`}
      onKeyDown={(ev) => { if (ev.key === 'Enter' || ev.key === ' ') { ev.preventDefault(); onClick(ev as unknown as React.MouseEvent); } }}>
      <g aria-hidden="true">
        <line x1={a.x} y1={a.y} x2={b.x} y2={b.y} className="link-hit" />
        {[-3, 0, 3].map((o) => (
          <line key={o} x1={sx - uy * o} y1={sy + ux * o} x2={ex - uy * o} y2={ey + ux * o} className={cls} />
        ))}
      </g>
    </g>
  );
}
