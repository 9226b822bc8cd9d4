/**
 * Topology: the broker and its clients, one link per client drawn as two lanes (client →
 * broker above, broker → client below) so a one-way cut shows on its own lane. Each end of
 * a link shows that node's TCP state for the connection; sim/world says when one end still
 * believes it is ESTABLISHED and the other has forgotten it (half-open) or when a FIN/RST is
 * still on its way to tell it (closing). Segments in
 * flight at the cursor move along their lane. Clicking a node or a link opens its faults.
 */
import { useEffect, useRef, useState } from 'react';
import type { JSX } from 'react';
import { useShallow } from 'zustand/react/shallow';
import { getAppStore, useApp } from '../store/store.ts';
import { useWorldView } from '../store/useWorldView.ts';
import { inFlightAt } from '../view-model/segments.ts';
import type { LinkView, NodeView, WorldView } from '../../sim/index.ts';
import { topologyLayout } from './topologyLayout.ts';
import type { NodePos } from './topologyLayout.ts';
import { FaultButtons, FaultPanel } from '../controls/FaultPanel.tsx';
import { GroupGlyph, GroupLinkGlyph, groupState, isMemberOf } from './GroupGlyph.tsx';
import { levelAt } from '../fleet/words.ts';
import './topology.css';

const W = 440;
const H = 250;

interface Menu { x: number; y: number; node: string | null; link: [string, string] | null }

/** The connection a node has with a peer: an open one if any, else the latest. */
function connWith(n: NodeView | undefined, peer: string) {
  if (!n) return null;
  const all = n.conns.filter((c) => c.peer === peer);
  return all.find((c) => c.open) ?? all[all.length - 1] ?? null;
}

function endState(n: NodeView | undefined, peer: string): string {
  if (n && n.host !== 'up') return n.host === 'off' ? 'powered off' : 'crashed';
  const c = connWith(n, peer);
  if (!c) return 'no connection';
  return c.open || c.tcpState !== 'CLOSED' ? c.tcpState : `CLOSED (${c.closedCause ?? '—'})`;
}

/** The link's connections as sim/world pairs them: half-open, or closing (a FIN/RST on its way). */
function linkPairs(world: WorldView, client: string, broker: string): { halfOpen: boolean; closing: boolean } {
  const pairs = world.pairs.filter((p) => p.ends[0] === client && p.ends[1] === broker);
  return { halfOpen: pairs.some((p) => p.halfOpen), closing: pairs.some((p) => p.closing) };
}

function LinkGlyph({ a, b, link, world, selected, crowded, onClick }: {
  a: NodePos; b: NodePos; link: LinkView; world: WorldView; selected: boolean; crowded: boolean; onClick(ev: React.MouseEvent): void;
}): JSX.Element {
  const dx = b.x - a.x;
  const dy = b.y - a.y;
  const len = Math.hypot(dx, dy) || 1;
  const ux = dx / len; const uy = dy / len;
  const nx = -uy * 5; const ny = ux * 5; // lane offset
  const ra = a.r; const rb = b.r; // node radii
  const lane = (sign: 1 | -1, cut: boolean, dir: 'up' | 'down') => {
    const [p, q] = dir === 'up' ? [a, b] : [b, a];
    const [rp, rq] = dir === 'up' ? [ra, rb] : [rb, ra];
    const ox = nx * sign; const oy = ny * sign;
    const sx = p.x + ((q.x - p.x) / len) * rp + ox; const sy = p.y + ((q.y - p.y) / len) * rp + oy;
    const ex = q.x - ((q.x - p.x) / len) * (rq + 4) + ox; const ey = q.y - ((q.y - p.y) / len) * (rq + 4) + oy;
    const cls = cut ? 'lane cut' : link.loss > 0 ? 'lane lossy' : 'lane up';
    return (
      <g>
        <line x1={sx} y1={sy} x2={ex} y2={ey} className={cls} markerEnd={`url(#arrow-${cut ? 'cut' : link.loss > 0 ? 'lossy' : 'up'})`} />
        {cut && <text x={(sx + ex) / 2 + ox * 1.6} y={(sy + ey) / 2 + oy * 1.6 + 4} className="cut-mark">✕{' '}</text>}
      </g>
    );
  };
  const client = world.nodes[link.between[0]];
  const broker = world.nodes[link.between[1]];
  const { halfOpen: isHalfOpen, closing } = linkPairs(world, link.between[0], link.between[1]);
  const notes: string[] = [`${link.latencyMs} ms`];
  if (link.loss > 0) notes.push(`loss ${Math.round(link.loss * 100)}%`);
  if (link.cutUp && link.cutDown) notes.push('cut');
  else if (link.cutUp) notes.push(`cut ${link.between[0]}→${link.between[1]}`);
  else if (link.cutDown) notes.push(`cut ${link.between[1]}→${link.between[0]}`);
  const angle = (Math.atan2(dy, dx) * 180) / Math.PI;
  // A point at fraction t between the node edges, shifted `off` px across the link.
  const at = (t: number, off: number): { x: number; y: number; transform: string } => {
    const x = a.x + ux * (ra + (len - ra - rb) * t) - uy * off;
    const y = a.y + uy * (ra + (len - ra - rb) * t) + ux * off;
    return { x, y, transform: `rotate(${angle.toFixed(1)} ${x.toFixed(1)} ${y.toFixed(1)})` };
  };
  return (
    <g className={`link ${selected ? 'selected' : ''}`} onClick={onClick} role="button" tabIndex={0}
      aria-label={`Link ${link.between.join(' – ')}: ${link.cutUp ? '✕ ' : ''}${link.cutDown ? '✕ ' : ''}${notes.join(' · ')}${isHalfOpen ? ' ⚠ half-open' : closing ? ' closing: FIN/RST on its way' : ''} ` +
        `${endState(client, link.between[1])} ${endState(broker, link.between[0])} ` +
        `(${link.between[0]} sees ${endState(client, link.between[1])}, ${link.between[1]} sees ${endState(broker, link.between[0])})`}
      onKeyDown={(ev) => { if (ev.key === 'Enter' || ev.key === ' ') { ev.preventDefault(); onClick(ev as unknown as React.MouseEvent); } }}>
      <g aria-hidden="true">
      <line x1={a.x} y1={a.y} x2={b.x} y2={b.y} className="link-hit" />
      {lane(-1, link.cutUp, 'up')}
      {lane(1, link.cutDown, 'down')}
      {/* Crowded (many links meeting at the broker): the words that stood near the broker's
          end ran into each other there. Only what is not the default stays, near the client
          end where the links are furthest apart; both ends' states are in the link's name
          and the node's own words. */}
      {(!crowded || notes.length > 1) && <text {...at(crowded ? 0.28 : 0.62, -9)} className="link-note">{(crowded ? notes.slice(1) : notes).join(' · ')}{' '}</text>}
      {/* Short words near the client end, above the lanes, where the links fanning into the
          broker are furthest apart; the sentence is in the caption under the drawing. */}
      {isHalfOpen && <text {...at(0.3, -20)} className="half-open">⚠ half-open{' '}</text>}
      {!isHalfOpen && closing && <text {...at(0.3, -20)} className="closing">closing…{' '}</text>}
      {!crowded && <text {...at(0.02, 16)} className="conn-state start">{endState(client, link.between[1])}{' '}</text>}
      {!crowded && <text {...at(0.98, 16)} className="conn-state end">{endState(broker, link.between[0])}{' '}</text>}
      </g>
    </g>
  );
}

/** The links' half-open and closing states in sentences, under the drawing. */
function LinkStatusCaption({ world }: { world: WorldView }): JSX.Element | null {
  const lines: string[] = [];
  for (const l of world.links) {
    const { halfOpen, closing } = linkPairs(world, l.between[0], l.between[1]);
    if (halfOpen) lines.push(`${l.between[0]} – ${l.between[1]}: half-open: one side believes the connection is up, the other has forgotten it.`);
    else if (closing) lines.push(`${l.between[0]} – ${l.between[1]}: closing: a FIN or RST is on its way; the other side does not know yet.`);
  }
  if (lines.length === 0) return null;
  return <ul className="topo-status" aria-label="Link states">{lines.slice(0, 4).map((t) => <li key={t}>{t}</li>)}</ul>;
}

function NodeGlyph({ p, view, selected, onClick, fleetOnline }: {
  p: NodePos; view: NodeView | undefined; selected: boolean; onClick(ev: React.MouseEvent): void;
  /** A fleet run: the broker's count of online devices from the Fleet report (a sampled world holds a few). */
  fleetOnline?: number | undefined;
}): JSX.Element {
  const host = view?.host ?? 'up';
  const r = p.r;
  const left = p.labels === 'left';
  // The accessible name starts with the visible text (WCAG 2.5.3 label in name).
  const shown = p.id.length > 18 ? `${p.id.slice(0, 17)}…` : p.id;
  const sub = host !== 'up' ? (host === 'off' ? 'powered off' : 'crashed')
    : p.role === 'broker' ? (fleetOnline !== undefined ? `broker · ${fleetOnline.toLocaleString('en-US')} online`
      : `broker · ${view?.sessions.filter((s) => s.status === 'connected').length ?? 0} connected`)
      : view?.client?.state ?? '';
  const textW = Math.max(shown.length, sub.length) * 6.5;
  const hit = left
    ? { x: p.x - r - 8 - textW, y: p.y - r, w: textW + 8 + 2 * r, h: 2 * r }
    : { x: p.x - Math.max(r, textW / 2), y: p.y - r, w: 2 * Math.max(r, textW / 2), h: 2 * r + 32 };
  return (
    <g className={`node ${p.role} host-${host} ${selected ? 'selected' : ''}`} onClick={onClick}
      role="button" tabIndex={0} aria-label={`${p.role} ${shown}: ${sub}${shown !== p.id ? ` (full name ${p.id})` : ''}`}
      onKeyDown={(ev) => { if (ev.key === 'Enter' || ev.key === ' ') { ev.preventDefault(); onClick(ev as unknown as React.MouseEvent); } }}>
      {/* The whole glyph takes the click, its labels included (a click on the label's middle
          must not fall through to the drawing behind: the text alone is thin). */}
      <rect className="node-hit" x={hit.x} y={hit.y} width={hit.w} height={hit.h} />
      <circle cx={p.x} cy={p.y} r={r} />
      {/* Each text ends in a space: axe and screen readers join SVG texts without one. */}
      <text x={left ? p.x - r - 6 : p.x} y={left ? p.y - 2 : p.y + r + 14} className={`node-label${left ? ' left' : ''}`} aria-hidden="true">{shown}{' '}</text>
      <text x={left ? p.x - r - 6 : p.x} y={left ? p.y + 10 : p.y + r + 27} className={`node-sub${left ? ' left' : ''}`} aria-hidden="true">{sub}{' '}</text>
    </g>
  );
}

export function TopologyView(): JSX.Element {
  const world = useWorldView();
  const s = useApp(useShallow((st) => ({
    broker: st.scenario.broker.id, clients: st.scenario.clients.map((c) => (c.count === undefined ? c.id : `${c.id}\u0001${c.count}`)).join('\u0000'),
    fleet: st.fleet,
    selectedNode: st.selectedNode, selectedLink: st.selectedLink, flightIndex: st.derived?.flights,
    cursorSeq: st.cursorSeq, cursorMs: st.cursorMs,
  })));
  const [menu, setMenu] = useState<Menu | null>(null);
  const menuRef = useRef<HTMLDivElement>(null);
  // Opening the fault menu moves the focus into it, so a keyboard user can pick a fault.
  useEffect(() => { if (menu) menuRef.current?.querySelector<HTMLButtonElement>('.fault-buttons button')?.focus(); }, [menu]);
  useEffect(() => {
    if (!menu) return;
    const close = (ev: KeyboardEvent) => { if (ev.key === 'Escape') setMenu(null); };
    window.addEventListener('keydown', close);
    return () => window.removeEventListener('keydown', close);
  }, [menu]);
  const clients = s.clients ? s.clients.split('\u0000').map((c) => {
    const [id, count] = c.split('\u0001');
    return count === undefined ? { id: id! } : { id: id!, count: Number(count) };
  }) : [];
  const layout = topologyLayout(s.broker, clients, W, H);
  const pos = new Map(layout.nodes.map((n) => [n.id, n]));
  const groups = layout.nodes.filter((n) => n.count !== undefined);
  const act = getAppStore().getState;
  const flights = world && s.flightIndex ? inFlightAt(s.flightIndex, s.cursorSeq, s.cursorMs) : [];

  const openMenu = (ev: React.MouseEvent, node: string | null, link: [string, string] | null) => {
    ev.stopPropagation();
    const box = (ev.currentTarget as Element).closest('svg')!.getBoundingClientRect();
    if (node) act().selectNode(node); else act().selectLink(link);
    // A keyboard Enter has no pointer position: open the menu at the element instead.
    const own = (ev.currentTarget as Element).getBoundingClientRect();
    const px = Number.isFinite(ev.clientX) ? ev.clientX : own.left + own.width / 2;
    const py = Number.isFinite(ev.clientY) ? ev.clientY : own.top + own.height / 2;
    setMenu({ x: px - box.left, y: py - box.top, node, link });
  };

  return (
    <div className="topology">
      <div className="topology-canvas">
        <svg viewBox={`0 0 ${W} ${H}`} role="group" aria-label="Broker, clients and links at the cursor (each is a button: Enter opens its faults)"
          onClick={() => setMenu(null)}>
          <defs>
            {['up', 'cut', 'lossy'].map((k) => (
              <marker key={k} id={`arrow-${k}`} viewBox="0 0 10 10" refX="8" refY="5" markerWidth="6" markerHeight="6" orient="auto-start-reverse">
                <path d="M 0 0 L 10 5 L 0 10 z" className={`arrowhead ${k}`} />
              </marker>
            ))}
          </defs>
          {world && groups.map((g) => {
            const b = pos.get(s.broker);
            if (!b) return null;
            const links = world.links.filter((l) => isMemberOf(l.between[0], g.id) && l.between[1] === s.broker);
            return <GroupLinkGlyph key={`group|${g.id}`} a={g} b={b} links={links} count={g.count ?? 1}
              onClick={(ev) => openMenu(ev, null, [g.id, s.broker])} />;
          })}
          {world && world.links.map((l) => {
            const a = pos.get(l.between[0]); const b = pos.get(l.between[1]);
            if (!a || !b || a.count !== undefined) return null;
            const sel = !!s.selectedLink && s.selectedLink.includes(l.between[0]) && s.selectedLink.includes(l.between[1]);
            return <LinkGlyph key={l.between.join('|')} a={a} b={b} link={l} world={world} selected={sel} crowded={layout.crowded}
              onClick={(ev) => openMenu(ev, null, [l.between[0], l.between[1]])} />;
          })}
          {flights.map((f) => {
            const a = pos.get(f.from); const b = pos.get(f.to);
            if (!a || !b) return null;
            const span = Number.isFinite(f.endMs) ? f.endMs - f.sendMs : 1;
            const k = span > 0 ? Math.min(1, Math.max(0, (s.cursorMs - f.sendMs) / span)) : 0;
            const len = Math.hypot(b.x - a.x, b.y - a.y) || 1;
            const side = a.role === 'client' ? -5 : 5;
            const ox = (-(b.y - a.y) / len) * side * (a.role === 'client' ? 1 : -1);
            const oy = ((b.x - a.x) / len) * side * (a.role === 'client' ? 1 : -1);
            const x = a.x + (b.x - a.x) * (0.12 + 0.76 * k) + ox;
            const y = a.y + (b.y - a.y) * (0.12 + 0.76 * k) + oy;
            return (
              <g key={f.id} className={`flight ${f.dropped ? 'doomed' : ''}`}>
                <circle cx={x} cy={y} r={4} />
                {flights.length <= 8 && <text x={x} y={y - 7}>{f.label}</text>}
              </g>
            );
          })}
          {layout.nodes.map((p) => (p.count !== undefined
            ? <GroupGlyph key={p.id} p={p} st={groupState(p, world, s.fleet, s.cursorMs)} selected={s.selectedNode === p.id}
              onClick={(ev) => openMenu(ev, p.id, null)} />
            : <NodeGlyph key={p.id} p={p} view={world?.nodes[p.id]} selected={s.selectedNode === p.id}
              fleetOnline={p.role === 'broker' && s.fleet ? levelAt(s.fleet.report.series.believed, s.fleet.report.series.bucketMs, s.cursorMs) : undefined}
              onClick={(ev) => openMenu(ev, p.id, null)} />))}
          {layout.hidden > 0 && <text x={8} y={H - 8} className="hint">+{layout.hidden} more clients not drawn</text>}
        </svg>
        {menu && (
          <div className="popover fault-menu" role="dialog" ref={menuRef} aria-label={`Faults for ${menu.node ?? menu.link?.join(' – ')}`}
            style={{ left: Math.min(menu.x, W - 150), top: menu.y + 8 }}>
            <div className="menu-title">{menu.node ?? `link ${menu.link?.join(' – ')}`} at cursor
              <button type="button" className="icon" aria-label="Close menu" onClick={() => setMenu(null)}>✕</button></div>
            <FaultButtons nodeId={menu.node} link={menu.link} nodeView={menu.node ? world?.nodes[menu.node] : undefined}
              onDone={() => setMenu(null)} />
          </div>
        )}
      </div>
      {world && <LinkStatusCaption world={world} />}
      <FaultPanel nodeViews={world?.nodes ?? {}} />
    </div>
  );
}
