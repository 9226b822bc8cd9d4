/**
 * The scenario's timed actions as forms: when (ms), what (`do`), and the fields that action
 * takes (CONTRACT.md section 2). Changing `do` keeps the time and fills the new action's
 * required fields with the first node or link, so the draft stays valid where it can.
 * Every edit goes through the store's editScenario: the same validator as an import.
 */
import type { JSX } from 'react';
import type { Action, ActionKind, Direction, Problem, Scenario } from '../../sim/index.ts';
import { getAppStore, useApp } from '../store/store.ts';
import { CheckField, NumberField, SelectField, TextField } from './fields.tsx';

const KINDS: readonly ActionKind[] = ['power-off', 'power-on', 'crash', 'restart', 'disconnect', 'connect', 'cut', 'heal', 'nat-flush', 'set-link', 'publish', 'pause', 'resume', 'stop'];
const KIND_WORDS: Record<ActionKind, string> = {
  'power-off': 'power-off (host loses power)', 'power-on': 'power-on (host boots)', crash: 'crash (process dies)',
  restart: 'restart (process starts again)', disconnect: 'disconnect (client sends DISCONNECT)', connect: 'connect (client connects)',
  cut: 'cut (link drops segments)', heal: 'heal (ends a cut)', 'nat-flush': 'nat-flush (the NAT forgets its flows)', 'set-link': 'set-link (change latency/loss)', publish: 'publish (client publishes once)',
  pause: 'pause (broker process stopped, SIGSTOP)', resume: 'resume (broker process continues, SIGCONT)',
  stop: 'stop (broker exits in order, SIGTERM)',
};
const LINK_KINDS = new Set<ActionKind>(['cut', 'heal', 'nat-flush', 'set-link']);
const DIRECTIONS = ['both', 'a->b', 'b->a'] as const;
const QOS = ['0', '1', '2'] as const;

type Loose = Record<string, unknown>;

function edit(f: (d: Scenario) => void): void { getAppStore().getState().editScenario(f); }

function editAction(i: number, patch: Loose): void {
  edit((d) => { const a = d.actions?.[i] as Loose | undefined; if (a) Object.assign(a, patch); });
}

/** A new action of kind `kind` at `atMs`, with its required fields filled from the scenario. */
function freshAction(kind: ActionKind, atMs: unknown, doc: Scenario, keep?: Loose): Loose {
  const client = doc.clients[0]?.id ?? doc.broker.id;
  const node = typeof keep?.['node'] === 'string' ? keep['node'] : client;
  const link = Array.isArray(keep?.['link']) ? keep['link'] : [client, doc.broker.id];
  if (LINK_KINDS.has(kind)) return { atMs, do: kind, link };
  // Only the broker's process can be paused or stopped in order (sim/mqtt/broker/processor.ts, stop.ts).
  if (kind === 'pause' || kind === 'resume' || kind === 'stop') return { atMs, do: kind, node: doc.broker.id };
  if (kind === 'publish') return { atMs, do: kind, node, topic: `t/${node}`, payload: 'hello', qos: 0 };
  return { atMs, do: kind, node };
}

function ActionForm({ a, i, doc, problems }: { a: Loose; i: number; doc: Scenario; problems: readonly Problem[] }): JSX.Element {
  const p = `actions[${i}]`;
  const kind = a['do'] as ActionKind;
  const nodes = [doc.broker.id, ...doc.clients.map((c) => c.id)];
  const node = typeof a['node'] === 'string' ? a['node'] : undefined;
  const nodeOptions = node && !nodes.includes(node) ? [...nodes, node] : nodes;
  const link = Array.isArray(a['link']) ? (a['link'] as string[]).join('|') : undefined;
  const links = doc.clients.map((c) => `${c.id}|${doc.broker.id}`);
  const linkOptions = link && !links.includes(link) ? [...links, link] : links;
  const linkLabels = Object.fromEntries(linkOptions.map((l) => [l, l.replace('|', ' ↔ ')]));
  const [la, lb] = (link ?? '|').split('|');
  const dirLabels = { both: 'both directions', 'a->b': `${la} → ${lb} only`, 'b->a': `${lb} → ${la} only` };
  return (
    <fieldset className="action-form">
      <legend>Timed action {i + 1}
        <button type="button" className="icon" aria-label={`Remove timed action ${i + 1}`}
          onClick={() => edit((d) => { d.actions?.splice(i, 1); if (d.actions?.length === 0) delete d.actions; })}>✕</button>
      </legend>
      <div className="grid">
        <NumberField label="At (ms)" path={`${p}.atMs`} problems={problems} value={a['atMs']} onChange={(v) => editAction(i, { atMs: v })} />
        <SelectField label="Do" path={`${p}.do`} problems={problems} value={kind} options={KINDS} labels={KIND_WORDS}
          onChange={(v) => edit((d) => { if (d.actions?.[i]) d.actions[i] = freshAction(v, a['atMs'], doc, a) as unknown as Action; })} />
        {!LINK_KINDS.has(kind) && (
          <SelectField label="Node" path={`${p}.node`} problems={problems} value={node} options={nodeOptions} onChange={(v) => editAction(i, { node: v })} />
        )}
        {LINK_KINDS.has(kind) && (
          <SelectField label="Link" path={`${p}.link`} problems={problems} value={link} options={linkOptions} labels={linkLabels}
            onChange={(v) => editAction(i, { link: v.split('|') })} />
        )}
        {(kind === 'cut' || kind === 'heal') && (
          <SelectField label="Direction" path={`${p}.direction`} problems={problems} value={(a['direction'] as Direction | undefined) ?? 'both'}
            options={DIRECTIONS} labels={dirLabels} onChange={(v) => editAction(i, { direction: v === 'both' ? undefined : v })} />
        )}
        {kind === 'disconnect' && (
          <NumberField label="Reason code" path={`${p}.reasonCode`} problems={problems} value={a['reasonCode']} hint="0" onChange={(v) => editAction(i, { reasonCode: v })} />
        )}
        {kind === 'set-link' && <>
          <NumberField label="Latency (ms)" path={`${p}.latencyMs`} problems={problems} value={a['latencyMs']} hint="unchanged" onChange={(v) => editAction(i, { latencyMs: v })} />
          <NumberField label="Jitter (ms)" path={`${p}.jitterMs`} problems={problems} value={a['jitterMs']} hint="unchanged" onChange={(v) => editAction(i, { jitterMs: v })} />
          <NumberField label="Loss (0..1)" path={`${p}.loss`} problems={problems} value={a['loss']} hint="unchanged" onChange={(v) => editAction(i, { loss: v })} />
        </>}
        {kind === 'publish' && <>
          <TextField label="Topic" path={`${p}.topic`} problems={problems} value={a['topic'] as string | undefined} onChange={(v) => editAction(i, { topic: v ?? '' })} />
          <TextField label="Payload" path={`${p}.payload`} problems={problems} value={a['payload'] as string | undefined} onChange={(v) => editAction(i, { payload: v ?? '' })} />
          <SelectField label="QoS" path={`${p}.qos`} problems={problems} value={String(a['qos'] ?? 0) as '0'} options={QOS} onChange={(v) => editAction(i, { qos: Number(v) })} />
          <CheckField label="Retain" value={a['retain'] === true} onChange={(v) => editAction(i, { retain: v || undefined })} />
        </>}
      </div>
    </fieldset>
  );
}

export function ActionsEditor({ doc, problems }: { doc: Scenario; problems: readonly Problem[] }): JSX.Element {
  const cursorMs = useApp((s) => s.cursorMs);
  const actions = (doc.actions ?? []) as unknown as Loose[];
  const shown = actions.slice(0, 100);
  const listProblem = problems.find((p) => p.path === 'actions');
  return (
    <section className="editor-section" aria-labelledby="ed-actions">
      <h3 id="ed-actions">Timed actions ({actions.length})</h3>
      <p className="hint">Faults and scripted steps, applied in order of time (ties in list order). Faults injected from the Topology land here too.</p>
      {listProblem && <p className="problem"><code>{listProblem.path}</code>: {listProblem.message}</p>}
      {shown.map((a, i) => <ActionForm key={i} a={a} i={i} doc={doc} problems={problems} />)}
      {actions.length > shown.length && <p className="hint">{actions.length - shown.length} more actions: edit the JSON file.</p>}
      <button type="button" onClick={() => edit((d) => {
        d.actions = [...(d.actions ?? []), freshAction('power-off', Math.floor(cursorMs), d) as unknown as Action];
      })}>Add a timed action (at the cursor, {Math.floor(cursorMs)} ms)</button>
    </section>
  );
}
