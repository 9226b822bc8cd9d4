/**
 * Form fields drawn from the simulator's own tables of keys (sim/scenario/field-docs.ts): the
 * label, range, default and plain-language help are the simulator's words, not the app's.
 * Each field edits one key of one object of the scenario (an empty field removes the key, so
 * the default applies); the validator's problem shows beside it with its JSON path.
 */
import { useId } from 'react';
import type { JSX } from 'react';
import type { FieldDoc, Problem } from '../../sim/index.ts';
import { FieldProblem, numberOrRaw, problemFor } from './fields.tsx';

type Obj = Record<string, unknown> | undefined;

function labelOf(d: FieldDoc): string {
  return d.unit ? `${d.label} (${d.unit})` : d.label;
}

/** A select's text back to the JSON value: '' removes the key; "true"/"false" and numbers as JSON. */
function selectValue(d: FieldDoc, text: string): unknown {
  if (text === '') return undefined;
  if (d.type === 'boolean') return text === 'true';
  return /^\d+$/.test(text) && d.values?.every((v) => /^\d+$/.test(v)) ? Number(text) : text;
}

export function DocField({ doc, path, value, problems, onChange }: {
  doc: FieldDoc; path: string; value: unknown; problems: readonly Problem[]; onChange(v: unknown): void;
}): JSX.Element {
  const id = useId();
  const p = problemFor(problems, path);
  const help = `${doc.help} Default: ${doc.default}.${doc.source ? ` (${doc.source})` : ''}`;
  // The help and the problem describe the field (aria-describedby); only the label names it.
  const common = { id, 'aria-invalid': p ? true : undefined, 'aria-describedby': p ? `${id}-help ${id}-problem` : `${id}-help` } as const;
  const input = doc.type === 'boolean' || doc.type === 'enum'
    ? (
      <select {...common} value={value === undefined ? '' : String(value)} onChange={(e) => onChange(selectValue(doc, e.currentTarget.value))}>
        <option value="">default ({doc.default})</option>
        {(doc.type === 'boolean' ? ['true', 'false'] : doc.values ?? []).map((v) => <option key={v} value={v}>{v}</option>)}
      </select>
    )
    : (
      <input {...common} type="text" inputMode="decimal" placeholder={doc.default}
        value={value === undefined ? '' : typeof value === 'object' ? JSON.stringify(value) : String(value)}
        onChange={(e) => onChange(numberOrRaw(e.currentTarget.value))} />
    );
  return (
    <div className={`field doc-field ${p ? 'invalid' : ''}`}>
      <label htmlFor={id}>{labelOf(doc)}</label>
      {input}
      <small className="help" id={`${id}-help`}>{help}</small>
      <span id={`${id}-problem`}><FieldProblem p={p} /></span>
    </div>
  );
}

/** Every key of a table, bound to the object at `path` (read from `obj`, written through `set`). */
export function DocFields({ docs, path, obj, problems, set, only }: {
  docs: readonly FieldDoc[]; path: string; obj: Obj; problems: readonly Problem[];
  set(key: string, v: unknown): void; only?: readonly string[];
}): JSX.Element {
  return (
    <div className="grid doc-grid">
      {docs.filter((d) => only === undefined || only.includes(d.key)).map((d) => (
        <DocField key={d.key} doc={d} path={`${path}.${d.key}`} value={obj?.[d.key]} problems={problems} onChange={(v) => set(d.key, v)} />
      ))}
    </div>
  );
}

/** How many keys of a table the object gives, for a section's summary ("2 set"). */
export function countSet(docs: readonly FieldDoc[], obj: Obj): number {
  return obj === undefined ? 0 : docs.filter((d) => obj[d.key] !== undefined).length;
}
