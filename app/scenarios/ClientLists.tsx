/** A client's subscriptions and periodic publishing, as editable rows (validated like an import). */
import type { JSX } from 'react';
import type { ClientSpec, Problem, PublishSpec, Scenario, SubscriptionSpec } from '../../sim/index.ts';
import { getAppStore } from '../store/store.ts';
import { CheckField, NumberField, SelectField, TextField } from './fields.tsx';

const QOS = ['0', '1', '2'] as const;

function editClient(index: number, f: (c: ClientSpec) => void): void {
  getAppStore().getState().editScenario((d: Scenario) => { const c = d.clients[index]; if (c) f(c); });
}

export function SubscriptionsEditor({ c, index, problems }: { c: ClientSpec; index: number; problems: readonly Problem[] }): JSX.Element {
  const subs: SubscriptionSpec[] = c.subscriptions ?? [];
  const p = `clients[${index}].subscriptions`;
  const set = (k: number, patch: Partial<SubscriptionSpec>) => editClient(index, (x) => { const s = x.subscriptions?.[k]; if (s) Object.assign(s, patch); });
  return (
    <div className="sub-list" role="group" aria-label={`Subscriptions of ${c.id}`}>
      <h4>Subscriptions ({subs.length})</h4>
      {subs.map((s, k) => (
        <div className="grid row" key={k} role="group" aria-label={`Subscription ${k + 1} of ${c.id}`}>
          <TextField label="Topic filter" path={`${p}[${k}].topic`} problems={problems} value={s.topic} onChange={(v) => set(k, { topic: v ?? '' })} />
          <SelectField label="QoS" path={`${p}[${k}].qos`} problems={problems} value={String(s.qos ?? 0) as '0'} options={QOS} onChange={(v) => set(k, { qos: Number(v) as 0 | 1 | 2 })} />
          <button type="button" className="row-remove" aria-label={`Remove subscription ${k + 1} of ${c.id}`}
            onClick={() => editClient(index, (x) => { x.subscriptions?.splice(k, 1); if (x.subscriptions?.length === 0) delete x.subscriptions; })}>Remove</button>
        </div>
      ))}
      <button type="button" onClick={() => editClient(index, (x) => { x.subscriptions = [...(x.subscriptions ?? []), { topic: 'status/#', qos: 1 }]; })}>
        Add a subscription to {c.id}
      </button>
    </div>
  );
}

export function PublishEditor({ c, index, problems }: { c: ClientSpec; index: number; problems: readonly Problem[] }): JSX.Element {
  const pubs: PublishSpec[] = c.publish ?? [];
  const p = `clients[${index}].publish`;
  const set = (k: number, patch: Partial<PublishSpec>) => editClient(index, (x) => { const s = x.publish?.[k]; if (s) Object.assign(s, patch); });
  return (
    <div className="sub-list" role="group" aria-label={`Publishing of ${c.id}`}>
      <h4>Periodic publishing ({pubs.length})</h4>
      {pubs.map((s, k) => (
        <div className="grid row" key={k} role="group" aria-label={`Publish ${k + 1} of ${c.id}`}>
          <TextField label="Topic" path={`${p}[${k}].topic`} problems={problems} value={s.topic} onChange={(v) => set(k, { topic: v ?? '' })} />
          <TextField label="Payload" path={`${p}[${k}].payload`} problems={problems} value={s.payload} onChange={(v) => set(k, { payload: v ?? '' })} />
          <SelectField label="QoS" path={`${p}[${k}].qos`} problems={problems} value={String(s.qos ?? 0) as '0'} options={QOS} onChange={(v) => set(k, { qos: Number(v) as 0 | 1 | 2 })} />
          <NumberField label="Every (ms)" path={`${p}[${k}].everyMs`} problems={problems} value={s.everyMs} onChange={(v) => set(k, { everyMs: v as number })} />
          <NumberField label="First at (ms)" path={`${p}[${k}].startMs`} problems={problems} value={s.startMs} hint="0" onChange={(v) => set(k, { startMs: v })} />
          <CheckField label="Retain" value={s.retain === true} onChange={(v) => set(k, { retain: v || undefined })} />
          <button type="button" className="row-remove" aria-label={`Remove publish ${k + 1} of ${c.id}`}
            onClick={() => editClient(index, (x) => { x.publish?.splice(k, 1); if (x.publish?.length === 0) delete x.publish; })}>Remove</button>
        </div>
      ))}
      <button type="button" onClick={() => editClient(index, (x) => { x.publish = [...(x.publish ?? []), { topic: `t/${x.id}`, payload: '21.5', qos: 0, everyMs: 5000 }]; })}>
        Add periodic publishing to {c.id}
      </button>
    </div>
  );
}
