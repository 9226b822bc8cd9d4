/**
 * The Inspector: the selected node as it is at the cursor — host, TCP connections, MQTT
 * session (configuration from the scenario, state from the trace), and its timers counting
 * down in virtual time — plus the details of the selected event.
 */
import { useEffect, useRef } from 'react';
import type { JSX } from 'react';
import { useShallow } from 'zustand/react/shallow';
import { getAppStore, useApp, useNodeIds } from '../store/store.ts';
import { useWorldView } from '../store/useWorldView.ts';
import { formatMs, formatRemaining } from '../model/format.ts';
import type { NodeView, TimerView } from '../../sim/index.ts';
import { KIND_WORDS, TIMERS } from '../../sim/index.ts';
import { describeEvent } from '../model/describe.ts';
import { plainLine } from '../log/plainWords.ts';
import { contextFor, keepAliveArithmetic, whyFor, willPayload } from '../model/explain.ts';


function Timer({ t }: { t: TimerView }): JSX.Element {
  const world = useWorldView();
  // The keep-alive in force on the timer's connection: the broker session's, as sim/world reduces it.
  const session = t.timer === 'broker.keepalive' && world
    ? Object.values(world.nodes).flatMap((n) => n.sessions).find((x) => x.conn === t.conn) : undefined;
  const sum = session ? keepAliveArithmetic(t.setMs, t.dueMs, session.keepAliveSeconds) : null;
  const total = Math.max(1, t.dueMs - t.setMs);
  const left = Math.max(0, Math.min(1, t.remainingMs / total));
  return (
    <li className="timer">
      <div className="timer-head">
        <code>{t.timer}</code>
        <strong className="countdown">{formatRemaining(t.remainingMs)}</strong>
      </div>
      <div className="bar" aria-hidden="true"><div style={{ width: `${left * 100}%` }} /></div>
      <div className="timer-meaning">{TIMERS[t.timer]?.meaning ?? ''}{t.conn ? ` · ${t.conn}` : ''}{t.clientId ? ` · ${t.clientId}` : ''} · due {formatMs(t.dueMs)}</div>
      {sum && <div className="timer-sum">Deadline: {sum}</div>}
    </li>
  );
}

function ClientSection({ n }: { n: NodeView }): JSX.Element | null {
  const c = n.client;
  if (!c) return null;
  return (
    <section aria-label="MQTT client">
      <h3>MQTT client <span className={`state-pill ${c.state}`}>{c.state}</span></h3>
      <dl className="kv">
        <dt>ClientId</dt><dd>{c.clientId}</dd>
        <dt>Protocol</dt><dd>MQTT {c.protocol} · {c.library}</dd>
        <dt>Keep-alive</dt><dd>{c.keepAliveSeconds} s</dd>
        <dt>{c.protocol === '5.0' ? 'Clean Start' : 'CleanSession'}</dt><dd>{c.cleanStart ? 'yes' : 'no'}</dd>
        {c.protocol === '5.0' && <><dt>Session Expiry</dt><dd>{c.sessionExpirySeconds} s</dd></>}
        <dt>Will</dt><dd>{c.will ? `${c.will.topic} = “${c.will.payload}” QoS ${c.will.qos}${c.will.delaySeconds ? `, delay ${c.will.delaySeconds} s` : ''}` : 'none'}</dd>
        <dt>Subscriptions</dt><dd>{c.subscriptions.length ? c.subscriptions.map((s) => `${s.topic} (QoS ${s.qos})`).join(', ') : 'none'}</dd>
        <dt>Connection</dt><dd>{c.connectedConn ?? notConnected(c.state)}{c.sessionPresent !== null && c.connectedConn ? ` · session present ${c.sessionPresent ? 1 : 0}` : ''}</dd>
      </dl>
    </section>
  );
}

/** Why the client has no MQTT connection right now, in the words of its state. */
function notConnected(state: string): string {
  if (state === 'awaiting-connack') return 'none yet (CONNECT sent, waiting for CONNACK)';
  if (state === 'connecting') return 'none yet (TCP handshake)';
  return 'not connected';
}

function BrokerSection({ n }: { n: NodeView }): JSX.Element | null {
  if (n.role !== 'broker') return null;
  return (
    <section aria-label="MQTT sessions">
      <h3>Sessions on the broker ({n.sessions.length})</h3>
      {n.sessions.length === 0 ? <p className="hint">No session yet.</p> : (
        <table className="table">
          <thead><tr><th>ClientId</th><th>Status</th><th>Conn</th><th>Last packet</th><th>Will</th></tr></thead>
          <tbody>
            {n.sessions.slice(0, 200).map((s) => (
              <tr key={s.clientId}>
                <td>{s.clientId}</td>
                <td><span className={`state-pill ${s.status}`}>{s.status}</span></td>
                <td>{s.conn ?? '—'}{s.keepAliveSeconds !== null ? ` (K=${s.keepAliveSeconds} s)` : ''}</td>
                <td>{s.lastRecvMs !== null ? formatMs(s.lastRecvMs) : '—'}</td>
                <td>{s.will ? `${s.will.status}${s.will.dueMs !== null && s.will.status === 'scheduled' ? ` (due ${formatMs(s.will.dueMs)})` : ''}` : 'none'}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}

function SelectedEvent(): JSX.Element | null {
  const { e, trace, resolved, stepEnds } = useApp(useShallow((s) => ({
    e: s.selectedSeq !== null ? s.trace[s.selectedSeq] : undefined, trace: s.trace, resolved: s.resolved, stepEnds: s.stepEnds,
  })));
  const box = useRef<HTMLElement>(null);
  // A row clicked in the log: its full text comes into view here (the log row is one line).
  useEffect(() => { box.current?.scrollIntoView({ block: 'nearest' }); }, [e?.seq]);
  if (!e) return null;
  const shownWhy = whyFor(trace, e.seq, resolved, stepEnds);
  const payload = willPayload(e, resolved);
  const { why, rule, profile, ...rest } = e;
  return (
    <section aria-label="Selected event" className="selected-event" ref={box}>
      <h3>Event #{e.seq} at {formatMs(e.tMs)}</h3>
      <p><code>{e.kind}</code> — {(KIND_WORDS as Record<string, string | undefined>)[e.kind] ?? ''}</p>
      <p className="plain-full">In plain words: {plainLine(e)}</p>
      <p>{describeEvent(e)}{contextFor(trace, e.seq, stepEnds)}</p>
      {payload !== undefined && e.kind === 'will.published' && <p>Will message: topic <code>{e.topic}</code>, payload “{payload}”</p>}
      {why && <p className="why-full">Why: {shownWhy}</p>}
      {(rule || profile) && <p className="hint">{rule ? `rule ${rule}` : ''}{rule && profile ? ' · ' : ''}{profile ? `profile ${profile}` : ''}</p>}
      <details><summary>Raw event</summary><pre>{JSON.stringify(rest, null, 1)}</pre></details>
    </section>
  );
}

export function Inspector(): JSX.Element {
  const world = useWorldView();
  const s = {
    ...useApp(useShallow((st) => ({ selected: st.selectedNode, broker: st.scenario.broker.id }))),
    nodes: useNodeIds(),
  };
  const id = s.selected ?? s.broker;
  const n = world?.nodes[id];
  return (
    <div className="inspector">
      <label className="node-picker">Node{' '}
        <select value={id} onChange={(e) => getAppStore().getState().selectNode(e.currentTarget.value)}>
          {s.nodes.slice(0, 1000).map((x) => <option key={x} value={x}>{x}</option>)}
        </select>
        {n && <span className={`state-pill host-${n.host}`}>host {n.host}</span>}
        {world && <span className="hint"> at {formatMs(world.cursorMs)}</span>}
      </label>
      {!n ? <p className="hint">Run the scenario to inspect its nodes.</p> : (
        <div className="inspector-body">
          <section aria-label="Timers">
            <h3>Timers ({n.timers.length})</h3>
            {n.timers.length === 0 ? <p className="hint">No timer running.</p>
              : <ul className="timers">{n.timers.slice(0, 30).map((t) => <Timer key={`${t.timer}|${t.conn}|${t.clientId}`} t={t} />)}</ul>}
          </section>
          <ClientSection n={n} />
          <BrokerSection n={n} />
          <section aria-label="TCP connections">
            <h3>TCP connections ({n.conns.length})</h3>
            {n.conns.length === 0 ? <p className="hint">None.</p> : (
              <table className="table">
                <thead><tr><th>Conn</th><th>Peer</th><th>State</th></tr></thead>
                <tbody>
                  {n.conns.slice(-30).map((c) => (
                    <tr key={c.conn} className={c.open ? '' : 'dim'}>
                      <td>{c.conn}</td><td>{c.peer}</td>
                      <td><span className={`state-pill tcp-${c.tcpState}`}>{c.tcpState}</span>{!c.open && c.closedCause ? ` (closed: ${c.closedCause})` : ''}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            )}
          </section>
        </div>
      )}
      <SelectedEvent />
    </div>
  );
}
