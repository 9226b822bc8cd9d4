/**
 * Editor sections for what a scenario holds beyond MQTT options: a host's TCP settings and
 * TCP keepalive, the broker's store on disk, a client group (count, connect window), its
 * reconnect policy and PINGREQ timer. The fields, ranges, defaults and help are the
 * simulator's tables (sim/scenario/field-docs.ts); every change goes through editScenario, so
 * the validator accepts it (and the run is redone) or shows its problem beside the field.
 */
import { useEffect, useRef } from 'react';
import type { JSX, ReactNode } from 'react';
import {
  CLIENT_EXTRA_DOCS, hostTcpDocs, memberIds, PERSISTENCE_DOCS, RECONNECT_DOCS, SECTION_DOCS, TCP_KEEPALIVE_DOCS,
} from '../../sim/index.ts';
import type { ClientSpec, FieldDoc, HostTcpSpec, Problem, Scenario } from '../../sim/index.ts';
import { getAppStore } from '../store/store.ts';
import { countSet, DocField, DocFields } from './DocFields.tsx';
import { NumberField } from './fields.tsx';

type Obj = Record<string, unknown>;
/** The broker or a client of the draft, as the object its keys live on. */
type Owner = (d: Scenario) => Obj | undefined;

export const brokerOwner: Owner = (d) => d.broker as unknown as Obj;
export const clientOwner = (index: number): Owner => (d) => d.clients[index] as unknown as Obj | undefined;

function edit(f: (d: Scenario) => void): void {
  getAppStore().getState().editScenario(f);
}

/** Sets `owner[key][k]` (creating `owner[key]` as an object); an empty table is removed when `prune`. */
function setSub(owner: Owner, key: string, prune: boolean) {
  return (k: string, v: unknown): void => edit((d) => {
    const o = owner(d);
    if (!o) return;
    const cur = o[key];
    const t: Obj = typeof cur === 'object' && cur !== null ? cur as Obj : {};
    o[key] = t;
    if (v === undefined) delete t[k]; else t[k] = v;
    if (prune && Object.keys(t).length === 0) delete o[key];
  });
}

function setKey(owner: Owner, key: string, v: unknown): void {
  edit((d) => { const o = owner(d); if (o) { if (v === undefined) delete o[key]; else o[key] = v; } });
}

const hasProblem = (problems: readonly Problem[], path: string): boolean =>
  problems.some((p) => p.path === path || p.path.startsWith(`${path}.`) || p.path.startsWith(`${path}[`));

/**
 * A folded section: it opens by itself when one of its fields has a problem, so no error is
 * hidden, and stays open when the problem is fixed (only the user folds it: no `open` prop).
 */
function Section({ title, path, problems, summary, children }: {
  title: string; path: string | readonly string[]; problems: readonly Problem[]; summary: string; children: ReactNode;
}): JSX.Element {
  const bad = (typeof path === 'string' ? [path] : path).some((x) => hasProblem(problems, x));
  const ref = useRef<HTMLDetailsElement>(null);
  useEffect(() => { if (bad && ref.current) ref.current.open = true; }, [bad]);
  return (
    <details ref={ref} className={`editor-section ${bad ? 'invalid' : ''}`}>
      <summary>{title} <span className="hint">— {bad ? 'has a problem' : summary}</span></summary>
      {children}
    </details>
  );
}

const setWords = (n: number): string => (n === 0 ? 'all defaults' : `${n} set`);

export function TcpSection({ who, path, tcp, owner, problems }: {
  who: string; path: string; tcp: HostTcpSpec | undefined; owner: Owner; problems: readonly Problem[];
}): JSX.Element {
  const docs = hostTcpDocs(tcp?.kernel === 'linux-6.12' ? 'linux-6.12' : 'linux-6.1');
  const obj = tcp as Obj | undefined;
  return (
    <Section title={`TCP settings of ${who}'s host (Linux)`} path={`${path}.tcp`} problems={problems} summary={setWords(countSet(docs, obj))}>
      <p className="hint">{SECTION_DOCS.tcp}</p>
      <DocFields docs={docs} path={`${path}.tcp`} obj={obj} problems={problems} set={setSub(owner, 'tcp', true)} />
    </Section>
  );
}

export function KeepAliveSection({ who, path, value, owner, problems }: {
  who: string; path: string; value: unknown; owner: Owner; problems: readonly Problem[];
}): JSX.Element {
  const on = typeof value === 'object' && value !== null;
  return (
    <Section title={`TCP keepalive of ${who}'s sockets`} path={`${path}.tcpKeepAlive`} problems={problems} summary={on ? 'on' : 'off'}>
      <p className="hint">{SECTION_DOCS.tcpKeepAlive}</p>
      <label className="field check">
        <input type="checkbox" checked={on} onChange={(e) => setKey(owner, 'tcpKeepAlive', e.currentTarget.checked ? {} : undefined)} />
        <span>TCP keepalive on for {who}</span>
      </label>
      {on && <DocFields docs={TCP_KEEPALIVE_DOCS} path={`${path}.tcpKeepAlive`} obj={value as Obj} problems={problems} set={setSub(owner, 'tcpKeepAlive', false)} />}
    </Section>
  );
}

export function PersistenceSection({ doc, problems }: { doc: Scenario; problems: readonly Problem[] }): JSX.Element {
  const p = doc.broker.persistence as Obj | undefined;
  const on = p !== undefined;
  return (
    <Section title="Broker's store on disk (persistence)" path="broker.persistence" problems={problems}
      summary={on ? (p['enabled'] === false ? 'given, disabled' : 'on') : 'off'}>
      <p className="hint">{SECTION_DOCS.persistence}</p>
      <label className="field check">
        <input type="checkbox" checked={on} onChange={(e) => setKey(brokerOwner, 'persistence', e.currentTarget.checked ? {} : undefined)} />
        <span>Broker keeps a store on disk</span>
      </label>
      {on && <DocFields docs={PERSISTENCE_DOCS} path="broker.persistence" obj={p} problems={problems} set={setSub(brokerOwner, 'persistence', false)} />}
    </Section>
  );
}

const docOf = (docs: readonly FieldDoc[], key: string): FieldDoc => docs.find((d) => d.key === key) as FieldDoc;

/** A group's members, named as the simulator names them (sim/fleet memberIds). */
function membersText(c: ClientSpec): string | null {
  const n = c.count;
  if (typeof n !== 'number' || !Number.isInteger(n) || n < 1 || n > 100_000) return null;
  const ends = (id: string): string => {
    const all = memberIds({ id, count: n, grouped: true }, true);
    return all.length === 1 ? all[0] ?? id : `${all[0]} … ${all[all.length - 1]}`;
  };
  return `${n} device${n === 1 ? '' : 's'}: ${ends(c.id)}; ClientIds ${ends(c.clientId ?? c.id)}.`;
}

export function GroupSection({ c, index, problems }: { c: ClientSpec; index: number; problems: readonly Problem[] }): JSX.Element {
  const path = `clients[${index}]`;
  const owner = clientOwner(index);
  const w = typeof c.connectAtMs === 'object' && c.connectAtMs !== null ? c.connectAtMs as unknown as Obj : undefined;
  const members = membersText(c);
  return (
    <Section title={`Group: many devices like ${c.id}`} path={[`${path}.count`, `${path}.connectAtMs`]} problems={problems}
      summary={c.count === undefined ? 'a single device' : `${String(c.count)} devices`}>
      <p className="hint">{SECTION_DOCS.count}</p>
      <div className="grid doc-grid"><DocField doc={docOf(CLIENT_EXTRA_DOCS, 'count')} path={`${path}.count`} value={c.count} problems={problems}
        onChange={(v) => edit((d) => {
          const x = d.clients[index] as unknown as Obj | undefined;
          if (!x) return;
          if (v === undefined) { delete x['count']; if (typeof x['connectAtMs'] === 'object') delete x['connectAtMs']; } else x['count'] = v;
        })} /></div>
      {members && <p className="hint members">{members}</p>}
      {c.count !== undefined && (
        <div className="grid" role="group" aria-label={`First connects of ${c.id}`}>
          <label className="field check">
            <input type="checkbox" checked={w !== undefined}
              onChange={(e) => setKey(owner, 'connectAtMs', e.currentTarget.checked ? { fromMs: 0, toMs: 1000 } : undefined)} />
            <span>Spread the first connects over a window</span>
          </label>
          {w && <>
            <NumberField label="Window from (ms)" path={`${path}.connectAtMs.fromMs`} problems={problems} value={w['fromMs']}
              onChange={(v) => setSub(owner, 'connectAtMs', false)('fromMs', v)} />
            <NumberField label="Window to (ms)" path={`${path}.connectAtMs.toMs`} problems={problems} value={w['toMs']}
              onChange={(v) => setSub(owner, 'connectAtMs', false)('toMs', v)} />
          </>}
        </div>
      )}
    </Section>
  );
}

type ReconnectMode = 'library' | 'never' | 'policy';
type PingMode = 'keep-alive' | 'every' | 'never';

export function ReconnectSection({ c, index, problems }: { c: ClientSpec; index: number; problems: readonly Problem[] }): JSX.Element {
  const path = `clients[${index}]`;
  const owner = clientOwner(index);
  const mode: ReconnectMode = c.reconnect === undefined ? 'library' : c.reconnect === false ? 'never' : 'policy';
  const ping = (c as { pingIntervalMs?: unknown }).pingIntervalMs;
  const pingMode: PingMode = ping === undefined ? 'keep-alive' : ping === false ? 'never' : 'every';
  const pingDoc = docOf(CLIENT_EXTRA_DOCS, 'pingIntervalMs');
  return (
    <Section title={`Reconnecting and pinging (${c.id})`} path={[`${path}.reconnect`, `${path}.pingIntervalMs`]} problems={problems}
      summary={`${mode === 'library' ? 'reconnects as its library does' : mode === 'never' ? 'never reconnects' : 'own reconnect policy'}; ${pingMode === 'keep-alive' ? 'pings from the keep-alive' : pingMode === 'never' ? 'never pings' : 'own ping period'}`}>
      <p className="hint">{SECTION_DOCS.reconnect}</p>
      <div className="grid doc-grid">
        <label className="field">
          <span>After a lost connection</span>
          <select value={mode} onChange={(e) => {
            const m = e.currentTarget.value as ReconnectMode;
            setKey(owner, 'reconnect', m === 'library' ? undefined : m === 'never' ? false : { delayMs: 1000 });
          }}>
            <option value="library">reconnect as its library does</option>
            <option value="never">never reconnect</option>
            <option value="policy">reconnect with this policy</option>
          </select>
        </label>
      </div>
      {mode === 'policy' && <DocFields docs={RECONNECT_DOCS} path={`${path}.reconnect`} obj={c.reconnect as unknown as Obj} problems={problems}
        set={setSub(owner, 'reconnect', false)} />}
      <div className="grid doc-grid">
        <div className="field doc-field">
          <label htmlFor={`ping-mode-${index}`}>PINGREQ</label>
          <select id={`ping-mode-${index}`} value={pingMode} aria-describedby={`ping-help-${index}`} onChange={(e) => {
            const m = e.currentTarget.value as PingMode;
            setKey(owner, 'pingIntervalMs', m === 'keep-alive' ? undefined : m === 'never' ? false : 5000);
          }}>
            <option value="keep-alive">when idle for the keep-alive (default)</option>
            <option value="every">on its own period</option>
            <option value="never">never (a device that never pings)</option>
          </select>
          <small className="help" id={`ping-help-${index}`}>{pingDoc.help}</small>
        </div>
        {pingMode === 'every' && <DocField doc={pingDoc} path={`${path}.pingIntervalMs`} value={ping} problems={problems}
          onChange={(v) => setKey(owner, 'pingIntervalMs', v)} />}
      </div>
    </Section>
  );
}
