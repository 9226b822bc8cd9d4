/**
 * The scenario's `expect` entries as forms, each with the checker's verdict on the last run
 * beside it. `where` is typed as a JSON object; text that is not one is handed to the
 * validator as typed, so it is refused with its path like any import.
 */
import type { JSX } from 'react';
import { NOTABLE_KINDS } from '../../sim/index.ts';
import type { Expectation, Problem, Scenario } from '../../sim/index.ts';
import { getAppStore, useApp } from '../store/store.ts';
import { FieldProblem, NumberField, problemFor, SelectField, TextField } from './fields.tsx';

type Check = 'atLeast1' | 'count' | 'atLeast' | 'none';
const CHECKS: readonly Check[] = ['atLeast1', 'count', 'atLeast', 'none'];
const CHECK_WORDS: Record<Check, string> = { atLeast1: 'at least once', count: 'exactly N times', atLeast: 'at least N times', none: 'never' };

type Loose = Record<string, unknown>;

function edit(i: number, f: (e: Loose) => void): void {
  getAppStore().getState().editScenario((d: Scenario) => { const e = d.expect?.[i] as Loose | undefined; if (e) f(e); });
}

function checkOf(e: Loose): Check {
  if (e['count'] !== undefined) return 'count';
  if (e['none'] !== undefined) return 'none';
  if (e['atLeast'] !== undefined) return 'atLeast';
  return 'atLeast1';
}

/** The text of `where`: an object as JSON, anything else (a half-typed draft) as it is. */
function whereText(w: unknown): string | undefined {
  if (w === undefined) return undefined;
  return typeof w === 'string' ? w : JSON.stringify(w);
}

function parseWhere(text: string | undefined): unknown {
  if (text === undefined || text.trim() === '') return undefined;
  try {
    const v: unknown = JSON.parse(text);
    return v !== null && typeof v === 'object' && !Array.isArray(v) ? v : text;
  } catch { return text; }
}

function ExpectForm({ e, i, problems, verdict }: { e: Loose; i: number; problems: readonly Problem[]; verdict: { ok: boolean; message: string } | undefined }): JSX.Element {
  const p = `expect[${i}]`;
  const check = checkOf(e);
  const between = Array.isArray(e['betweenMs']) ? e['betweenMs'] as unknown[] : undefined;
  const setBetween = (k: 0 | 1, v: number | undefined) => edit(i, (x) => {
    const b = Array.isArray(x['betweenMs']) ? [...(x['betweenMs'] as unknown[])] : [0, 0];
    b[k] = v;
    x['betweenMs'] = b[0] === undefined && b[1] === undefined ? undefined : b;
  });
  return (
    <fieldset className="expect-form">
      <legend>Expectation {i + 1}
        <button type="button" className="icon" aria-label={`Remove expectation ${i + 1}`}
          onClick={() => getAppStore().getState().editScenario((d) => { d.expect?.splice(i, 1); if (d.expect?.length === 0) delete d.expect; })}>✕</button>
      </legend>
      {verdict && <p className={`verdict ${verdict.ok ? 'ok' : 'bad'}`}>{verdict.ok ? 'Holds on the last run: ' : 'Fails on the last run: '}{verdict.message}</p>}
      <div className="grid">
        <TextField label="Event kind" path={`${p}.kind`} problems={problems} value={e['kind'] as string | undefined} hint="will.published" list="ed-kinds" onChange={(v) => edit(i, (x) => { x['kind'] = v ?? ''; })} />
        <TextField label="Where (JSON object)" path={`${p}.where`} problems={problems} value={whereText(e['where'])} hint='{"clientId": "sensor-1"}'
          onChange={(v) => edit(i, (x) => { x['where'] = parseWhere(v); })} />
        <SelectField label="Check" path={`${p}.none`} problems={[]} value={check} options={CHECKS} labels={CHECK_WORDS}
          onChange={(v) => edit(i, (x) => {
            delete x['count']; delete x['atLeast']; delete x['none'];
            if (v === 'count') x['count'] = 1; else if (v === 'atLeast') x['atLeast'] = 1; else if (v === 'none') x['none'] = true;
          })} />
        {(check === 'count' || check === 'atLeast') && (
          <NumberField label="How many times" path={`${p}.${check}`} problems={problems} value={e[check]} onChange={(v) => edit(i, (x) => { x[check] = v; })} />
        )}
        <NumberField label="Not before (ms)" path={`${p}.betweenMs[0]`} problems={problems} value={between?.[0]} hint="any time" onChange={(v) => setBetween(0, v)} />
        <NumberField label="Not after (ms)" path={`${p}.betweenMs[1]`} problems={problems} value={between?.[1]} hint="any time" onChange={(v) => setBetween(1, v)} />
      </div>
      {check === 'none' && <FieldProblem p={problemFor(problems, `${p}.none`)} />}
      {between && <FieldProblem p={problems.find((q) => q.path === `${p}.betweenMs`)} />}
    </fieldset>
  );
}

export function ExpectEditor({ doc, problems }: { doc: Scenario; problems: readonly Problem[] }): JSX.Element {
  const results = useApp((s) => s.expectations);
  const applied = useApp((s) => s.draft === null);
  const list = (doc.expect ?? []) as unknown as Loose[];
  return (
    <section className="editor-section" aria-labelledby="ed-expect">
      <h3 id="ed-expect">Expectations ({list.length})</h3>
      <p className="hint">Checks on the trace after each run (as <code>halfopen run</code> does): events of a kind, matching <em>where</em>, counted and timed.</p>
      <datalist id="ed-kinds">{NOTABLE_KINDS.map((k) => <option key={k} value={k} />)}</datalist>
      {list.slice(0, 100).map((e, i) => (
        <ExpectForm key={i} e={e} i={i} problems={problems} verdict={applied ? results.find((r) => r.index === i) : undefined} />
      ))}
      <button type="button" onClick={() => getAppStore().getState().editScenario((d) => {
        const first = d.clients[0];
        const entry: Expectation = { kind: 'will.published', where: { clientId: first?.clientId ?? first?.id ?? '' }, count: 1 };
        d.expect = [...(d.expect ?? []), entry];
      })}>Add an expectation</button>
    </section>
  );
}
