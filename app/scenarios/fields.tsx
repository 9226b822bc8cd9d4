/** Small form fields bound to a scenario path; a field with a problem says so (aria-invalid). */
import type { JSX } from 'react';
import type { Problem } from '../../sim/index.ts';

/** '' → undefined (key removed: the default applies); a number → number; else the raw text,
 * so that parseScenario reports it with its path instead of the form guessing. */
export function numberOrRaw(text: string): number | string | undefined {
  if (text.trim() === '') return undefined;
  const n = Number(text);
  return Number.isFinite(n) ? n : text;
}

export function problemFor(problems: readonly Problem[], path: string): Problem | undefined {
  return problems.find((p) => p.path === path || p.path.startsWith(`${path}.`) || p.path.startsWith(`${path}[`));
}

/** The validator's problem beside its field, with its JSON path (the same words an import shows). */
export function FieldProblem({ p }: { p: Problem | undefined }): JSX.Element | null {
  if (!p) return null;
  return <small className="problem"><code>{p.path}</code>: {p.message}</small>;
}

interface Base { label: string; path: string; problems: readonly Problem[]; hint?: string }

export function NumberField({ label, path, problems, hint, value, onChange }: Base & {
  value: unknown; onChange(v: number | undefined): void;
}): JSX.Element {
  const p = problemFor(problems, path);
  return (
    <label className={`field ${p ? 'invalid' : ''}`} title={hint}>
      <span>{label}</span>
      <input type="text" inputMode="decimal" value={value === undefined ? '' : String(value)}
        aria-invalid={p ? true : undefined} placeholder={hint}
        onChange={(e) => onChange(numberOrRaw(e.currentTarget.value) as number | undefined)} />
      <FieldProblem p={p} />
    </label>
  );
}

export function TextField({ label, path, problems, hint, value, list, onChange }: Base & {
  value: string | undefined; list?: string; onChange(v: string | undefined): void;
}): JSX.Element {
  const p = problemFor(problems, path);
  return (
    <label className={`field ${p ? 'invalid' : ''}`} title={hint}>
      <span>{label}</span>
      <input type="text" value={value ?? ''} list={list} aria-invalid={p ? true : undefined} placeholder={hint}
        onChange={(e) => onChange(e.currentTarget.value === '' ? undefined : e.currentTarget.value)} />
      <FieldProblem p={p} />
    </label>
  );
}

export function SelectField<T extends string>({ label, path, problems, value, options, labels, onChange }: Base & {
  value: T | undefined; options: readonly T[]; labels?: Readonly<Record<string, string>>; onChange(v: T): void;
}): JSX.Element {
  const p = problemFor(problems, path);
  return (
    <label className={`field ${p ? 'invalid' : ''}`}>
      <span>{label}</span>
      <select value={value ?? options[0]} aria-invalid={p ? true : undefined} onChange={(e) => onChange(e.currentTarget.value as T)}>
        {options.map((o) => <option key={o} value={o}>{labels?.[o] ?? o}</option>)}
      </select>
      <FieldProblem p={p} />
    </label>
  );
}

export function CheckField({ label, value, onChange }: { label: string; value: boolean; onChange(v: boolean): void }): JSX.Element {
  return (
    <label className="field check">
      <input type="checkbox" checked={value} onChange={(e) => onChange(e.currentTarget.checked)} />
      <span>{label}</span>
    </label>
  );
}
