/**
 * Fault injection at the cursor time: the actions of the selected node or link, loss and
 * latency settings for a link, and the list of the scenario's timed actions (each removable).
 */
import { useState } from 'react';
import type { JSX } from 'react';
import { useShallow } from 'zustand/react/shallow';
import type { Action } from '../../sim/index.ts';
import { getAppStore, NO_ACTIONS, useApp } from '../store/store.ts';
import { formatMs } from '../model/format.ts';
import type { NodeView } from '../../sim/index.ts';
import { linkFaults, nodeFaults } from './faultMenu.ts';

export function actionLabel(a: Action): string {
  const target = 'link' in a ? a.link.join('–') : a.node;
  const dir = 'direction' in a && a.direction && a.direction !== 'both' ? ` ${a.direction}` : '';
  const extra = a.do === 'set-link'
    ? ` ${[a.loss !== undefined ? `loss ${Math.round(a.loss * 100)}%` : '', a.latencyMs !== undefined ? `latency ${a.latencyMs} ms` : '']
      .filter(Boolean).join(', ')}` : '';
  return `${a.do} ${target}${dir}${extra}`;
}

export function LinkSettings({ link, onDone }: { link: [string, string]; onDone?: () => void }): JSX.Element {
  const [loss, setLoss] = useState('20');
  const [latency, setLatency] = useState('200');
  const inject = getAppStore().getState().injectFault;
  return (
    <div className="link-settings">
      <label>Loss <input type="number" min={0} max={100} value={loss} aria-label="Loss percent"
        onChange={(e) => setLoss(e.currentTarget.value)} />%</label>
      <button type="button" onClick={() => { inject({ do: 'set-link', link, loss: Math.min(1, Math.max(0, Number(loss) / 100)) }); onDone?.(); }}>
        Set loss</button>
      <label>Latency <input type="number" min={0} value={latency} aria-label="Latency ms"
        onChange={(e) => setLatency(e.currentTarget.value)} />ms</label>
      <button type="button" onClick={() => { inject({ do: 'set-link', link, latencyMs: Math.max(0, Math.round(Number(latency))) }); onDone?.(); }}>
        Set latency</button>
    </div>
  );
}

export function FaultButtons({ nodeId, link, nodeView, onDone }: {
  nodeId: string | null; link: [string, string] | null; nodeView: NodeView | undefined; onDone?: () => void;
}): JSX.Element | null {
  const brokerId = useApp((s) => s.scenario.broker.id);
  // The run's resolved links say which have a NAT (a group's link is every member's).
  const nat = useApp((s) => link !== null && (s.resolved?.links.some((l) =>
    l.natIdleTimeoutMs !== null && l.between.includes(link[0]) && l.between.includes(link[1])) ?? false));
  const inject = getAppStore().getState().injectFault;
  const items = link ? linkFaults(link, nat) : nodeId ? nodeFaults(nodeId, nodeId === brokerId ? 'broker' : 'client', nodeView) : [];
  // What the pointed-at or focused fault does, in the simulator's words (ACTION_DOCS), shown as
  // text: a tooltip alone is out of reach on a touch screen and slow to appear from the keyboard.
  const [shown, setShown] = useState<string | null>(null);
  if (items.length === 0) return null;
  return (
    <div className="fault-buttons" onMouseLeave={() => setShown(null)}>
      {items.map((it) => (
        <button type="button" key={it.label} title={it.hint}
          onMouseEnter={() => setShown(it.hint)} onFocus={() => setShown(it.hint)}
          onClick={() => { inject(it.fault); onDone?.(); }}>{it.label}</button>
      ))}
      <p className="fault-hint" aria-live="polite">{shown ?? 'Point at a fault (or move to it with Tab) to read what it does.'}</p>
      {link && <LinkSettings link={link} {...(onDone ? { onDone } : {})} />}
    </div>
  );
}

export function FaultPanel({ nodeViews }: { nodeViews: Record<string, NodeView> }): JSX.Element {
  const s = useApp(useShallow((st) => ({
    selectedNode: st.selectedNode, selectedLink: st.selectedLink, cursorMs: st.cursorMs,
    actions: st.scenario.actions ?? NO_ACTIONS,
  })));
  const remove = getAppStore().getState().removeAction;
  const target = s.selectedLink ? `link ${s.selectedLink.join(' ↔ ')}` : s.selectedNode ?? 'nothing selected';
  return (
    <div className="fault-panel">
      <h3>Inject a fault at {formatMs(Math.floor(s.cursorMs))} — {target}</h3>
      {s.selectedNode || s.selectedLink ? (
        <FaultButtons nodeId={s.selectedNode} link={s.selectedLink}
          nodeView={s.selectedNode ? nodeViews[s.selectedNode] : undefined} />
      ) : <p className="hint">Click a node or a link above.</p>}
      <details className="action-list">
        <summary>Timed actions in this scenario ({s.actions.length})</summary>
        <ol>
          {s.actions.map((a, i) => (
            <li key={i}>
              <button type="button" className="link" onClick={() => getAppStore().getState().seek(a.atMs)}>
                {formatMs(a.atMs)}</button>{' '}{actionLabel(a)}{' '}
              <button type="button" className="icon" aria-label={`Remove action ${i + 1}`} onClick={() => remove(i)}>✕</button>
            </li>
          ))}
        </ol>
      </details>
    </div>
  );
}
