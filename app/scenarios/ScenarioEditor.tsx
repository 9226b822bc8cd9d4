/**
 * Forms to edit everything a scenario holds: settings, broker (its store on disk, host TCP and
 * TCP keepalive), per client its MQTT options, Will, subscriptions, periodic publishing, link
 * (with its NAT or proxy), group, reconnect/PINGREQ, host TCP and TCP keepalive
 * (HostSections.tsx, drawn from sim's key tables), the timed actions and the expectations.
 * Every change is validated with parseScenario as it is typed; problems are listed
 * with their JSON paths and the last valid scenario keeps running until they are fixed.
 */
import type { JSX } from 'react';
import { useShallow } from 'zustand/react/shallow';
import { inMsOrUs } from './linkUnits.ts';
import type { BrokerProfileName, ClientProfileName, ClientSpec, LinkSpec, ProtocolVersion, Problem, Scenario } from '../../sim/index.ts';
import { getAppStore, useApp } from '../store/store.ts';
import { nameInvisible } from '../model/visibleText.ts';
import { CheckField, NumberField, SelectField, TextField } from './fields.tsx';
import { ActionsEditor } from './ActionsEditor.tsx';
import { ExpectEditor } from './ExpectEditor.tsx';
import { PublishEditor, SubscriptionsEditor } from './ClientLists.tsx';
import { DocField } from './DocFields.tsx';
import { brokerOwner, clientOwner, GroupSection, KeepAliveSection, PersistenceSection, ReconnectSection, TcpSection } from './HostSections.tsx';
import { LINK_MIDDLEBOX_DOCS } from '../../sim/index.ts';
import { discardAndClose, keepEditing, useEditorUi } from './editorUi.ts';
import './editor.css';

const BROKERS: readonly BrokerProfileName[] = ['spec', 'mosquitto-2.0', 'aedes'];
const LIBRARIES: readonly ClientProfileName[] = ['mqttjs-5', 'paho-python'];
const PROTOCOLS: readonly ProtocolVersion[] = ['3.1.1', '5.0'];
const QOS = ['0', '1', '2'] as const;

function ClientForm({ c, index, link, brokerId, problems }: {
  c: ClientSpec; index: number; link: LinkSpec | undefined; brokerId: string; problems: readonly Problem[];
}): JSX.Element {
  const st = getAppStore().getState;
  const edit = (patch: Partial<ClientSpec>) => st().editClient(index, patch);
  const editLink = (patch: Partial<LinkSpec>) => st().editLink(c.id, patch);
  const p = `clients[${index}]`;
  const linkIndex = useApp((s) => (s.draft ?? s.scenario).links?.findIndex((l) => l.between.includes(c.id) && l.between.includes(brokerId)) ?? -1);
  const lp = `links[${linkIndex}]`;
  const will = c.will;
  return (
    <fieldset className="client-form">
      <legend>Client {index + 1}: {c.id}
        <button type="button" className="icon" aria-label={`Remove client ${c.id}`} onClick={() => st().removeClient(index)}>✕</button>
      </legend>
      <div className="grid">
        <TextField label="Node id" path={`${p}.id`} problems={problems} value={c.id} onChange={(v) => edit({ id: v as string })} />
        <TextField label="ClientId" path={`${p}.clientId`} problems={problems} value={c.clientId} hint={c.id} onChange={(v) => edit({ clientId: v })} />
        <SelectField label="Protocol" path={`${p}.protocol`} problems={problems} value={c.protocol} options={PROTOCOLS} onChange={(v) => edit({ protocol: v })} />
        <SelectField label="Library profile" path={`${p}.library`} problems={problems} value={c.library} options={LIBRARIES} onChange={(v) => edit({ library: v })} />
        <NumberField label="Keep-alive (s)" path={`${p}.keepAliveSeconds`} problems={problems} value={c.keepAliveSeconds} hint="60" onChange={(v) => edit({ keepAliveSeconds: v })} />
        <NumberField label="Session Expiry (s)" path={`${p}.sessionExpirySeconds`} problems={problems} value={c.sessionExpirySeconds} hint="0 (MQTT 5)" onChange={(v) => edit({ sessionExpirySeconds: v })} />
        {typeof c.connectAtMs !== 'object' && <NumberField label="Connect at (ms)" path={`${p}.connectAtMs`} problems={problems} value={c.connectAtMs} hint="0" onChange={(v) => edit({ connectAtMs: v })} />}
        <CheckField label={(c.protocol ?? '3.1.1') === '5.0' ? 'Clean Start' : 'CleanSession'} value={c.cleanStart ?? true} onChange={(v) => edit({ cleanStart: v })} />
      </div>
      <div className="grid">
        <CheckField label="Last Will" value={!!will} onChange={(v) => edit({ will: v ? { topic: `status/${c.clientId ?? c.id}`, payload: 'offline', qos: 1 } : undefined })} />
        {will && <>
          <TextField label="Will topic" path={`${p}.will.topic`} problems={problems} value={will.topic} onChange={(v) => edit({ will: { ...will, topic: v ?? '' } })} />
          <TextField label="Will payload" path={`${p}.will.payload`} problems={problems} value={will.payload} onChange={(v) => edit({ will: { ...will, payload: v ?? '' } })} />
          <SelectField label="Will QoS" path={`${p}.will.qos`} problems={problems} value={String(will.qos ?? 0) as '0'} options={QOS} onChange={(v) => edit({ will: { ...will, qos: Number(v) as 0 | 1 | 2 } })} />
          <CheckField label="Will retained" value={will.retain === true} onChange={(v) => edit({ will: { ...will, retain: v || undefined } })} />
          <NumberField label="Will delay (s)" path={`${p}.will.delaySeconds`} problems={problems} value={will.delaySeconds} hint="0 (MQTT 5)" onChange={(v) => edit({ will: { ...will, delaySeconds: v } })} />
        </>}
      </div>
      <SubscriptionsEditor c={c} index={index} problems={problems} />
      <PublishEditor c={c} index={index} problems={problems} />
      <div className="grid">
        <NumberField label="Link latency (ms)" path={link?.latencyUs !== undefined ? `${lp}.latencyUs` : `${lp}.latencyMs`} problems={problems}
          value={link?.latencyUs !== undefined ? link.latencyUs / 1000 : link?.latencyMs} hint="10" onChange={(v) => editLink(inMsOrUs('latency', v))} />
        <NumberField label="Link jitter (ms)" path={link?.jitterUs !== undefined ? `${lp}.jitterUs` : `${lp}.jitterMs`} problems={problems}
          value={link?.jitterUs !== undefined ? link.jitterUs / 1000 : link?.jitterMs} hint="0" onChange={(v) => editLink(inMsOrUs('jitter', v))} />
        <NumberField label="Link loss (0..1)" path={`${lp}.loss`} problems={problems} value={link?.loss} hint="0" onChange={(v) => editLink({ loss: v })} />
      </div>
      <div className="grid doc-grid" role="group" aria-label={`Middlebox on the link of ${c.id}`}>
        {LINK_MIDDLEBOX_DOCS.map((d) => (
          <DocField key={d.key} doc={d} path={`${lp}.${d.key}`} problems={problems} value={(link as Record<string, unknown> | undefined)?.[d.key]}
            onChange={(v) => editLink({ [d.key]: v } as Partial<LinkSpec>)} />
        ))}
      </div>
      <GroupSection c={c} index={index} problems={problems} />
      <ReconnectSection c={c} index={index} problems={problems} />
      <TcpSection who={c.id} path={p} tcp={c.tcp} owner={clientOwner(index)} problems={problems} />
      <KeepAliveSection who={c.id} path={p} value={c.tcpKeepAlive} owner={clientOwner(index)} problems={problems} />
    </fieldset>
  );
}

export function ScenarioEditor(): JSX.Element {
  const s = useApp(useShallow((st) => ({ doc: (st.draft ?? st.scenario) as Scenario, problems: st.draftProblems })));
  const st = getAppStore().getState;
  const { doc, problems } = s;
  const closeAsked = useEditorUi((u) => u.closeAsked);
  const n = problems.length;
  return (
    <form className="scenario-editor" onSubmit={(e) => e.preventDefault()} aria-label="Edit scenario">
      {n > 0 && (
        <div className="problems" role="alert">
          {closeAsked
            ? <strong>Not closed: your edits are not applied ({n} problem{n === 1 ? '' : 's'}). The timeline still shows the last valid scenario. Fix them, or discard them and close.</strong>
            : <strong>Not applied yet — {n} problem{n === 1 ? '' : 's'} (the timeline shows the last valid scenario):</strong>}
          <ul>{problems.slice(0, 50).map((p, i) => <li key={i}><code>{nameInvisible(p.path)}</code>: {nameInvisible(p.message)}</li>)}</ul>
          {closeAsked && <button type="button" onClick={keepEditing}>Keep editing</button>}
          {closeAsked
            ? <button type="button" onClick={discardAndClose}>Discard edits and close</button>
            : <button type="button" onClick={() => st().discardDraft()}>Discard edits</button>}
        </div>
      )}
      {n === 0 && <p className="applied hint" role="status">Every edit is applied as you type and the run is redone: watch the timeline.</p>}
      <fieldset>
        <legend>Scenario</legend>
        <div className="grid">
          <TextField label="Name" path="name" problems={problems} value={doc.name} onChange={(v) => st().editSettings({ name: v ?? '' })} />
          <NumberField label="Duration (ms)" path="durationMs" problems={problems} value={doc.durationMs} onChange={(v) => st().editSettings({ durationMs: v as number })} />
          <NumberField label="Seed" path="seed" problems={problems} value={doc.seed} hint="1" onChange={(v) => st().editSettings({ seed: v })} />
          <SelectField label="Broker profile" path="broker.profile" problems={problems} value={doc.broker.profile} options={BROKERS} onChange={(v) => st().editBroker({ profile: v })} />
          <NumberField label="Server Keep Alive (s)" path="broker.serverKeepAliveSeconds" problems={problems} value={doc.broker.serverKeepAliveSeconds} hint="none (MQTT 5)" onChange={(v) => st().editBroker({ serverKeepAliveSeconds: v })} />
          <NumberField label="Max keep-alive (s)" path="broker.maxKeepAliveSeconds" problems={problems} value={doc.broker.maxKeepAliveSeconds} hint="none" onChange={(v) => st().editBroker({ maxKeepAliveSeconds: v })} />
        </div>
        <PersistenceSection doc={doc} problems={problems} />
        <TcpSection who="the broker" path="broker" tcp={doc.broker.tcp} owner={brokerOwner} problems={problems} />
        <KeepAliveSection who="the broker" path="broker" value={doc.broker.tcpKeepAlive} owner={brokerOwner} problems={problems} />
      </fieldset>
      {doc.clients.slice(0, 50).map((c, i) => (
        <ClientForm key={i} c={c} index={i} brokerId={doc.broker.id} problems={problems}
          link={doc.links?.find((l) => l.between.includes(c.id) && l.between.includes(doc.broker.id))} />
      ))}
      {doc.clients.length > 50 && <p className="hint">{doc.clients.length - 50} more clients: edit the JSON file.</p>}
      <button type="button" onClick={() => st().addClient()}>Add a client</button>
      <ActionsEditor doc={doc} problems={problems} />
      <ExpectEditor doc={doc} problems={problems} />
    </form>
  );
}
