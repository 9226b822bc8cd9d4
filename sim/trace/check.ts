/**
 * Checks one trace event against trace/schema.ts at run time: for tests and tools that read
 * traces from elsewhere, never on the emit path (emitters are checked by the compiler).
 *
 * An event is valid when `seq` and `tMs` are numbers, `kind` is a schema kind, every other key
 * is a field of that kind or a common field, every required field is present, each value has
 * its field's type, and the kind's own fields come in schema order (the emitters' order, so
 * the schema documents the NDJSON key order; common fields may come anywhere after `kind`;
 * MQTT packet events, `ordered: false`, are exempt).
 */
import type { Field } from './schema.ts';
import { COMMON_FIELDS, TRACE_SCHEMA } from './schema.ts';

const BASE = new Set(['seq', 'tMs', 'kind']);
const SPECS: ReadonlyMap<string, Readonly<Record<string, Field>>> = new Map(
  Object.entries(TRACE_SCHEMA).map(([kind, spec]) => [kind, spec.fields as Readonly<Record<string, Field>>]),
);
const UNORDERED: ReadonlySet<string> = new Set(
  Object.entries(TRACE_SCHEMA).filter(([, spec]) => 'ordered' in spec && !spec.ordered).map(([kind]) => kind),
);
const COMMON: Readonly<Record<string, Field>> = COMMON_FIELDS;

function valueProblem(f: Field, v: unknown): string | null {
  if (v === null) return f.nullable ? null : 'is null';
  switch (f.type) {
    case 'string': return typeof v === 'string' ? null : 'is not a string';
    case 'number': return typeof v === 'number' && Number.isFinite(v) ? null : 'is not a finite number';
    case 'boolean': return typeof v === 'boolean' ? null : 'is not true or false';
    case 'enum': return f.values!.includes(v as string | number) ? null : `is not one of ${f.values!.map((x) => JSON.stringify(x)).join(', ')}`;
    case 'pair': return Array.isArray(v) && v.length === 2 && v.every((x) => typeof x === 'string') ? null : 'is not a pair of strings';
    case 'list': {
      if (!Array.isArray(v)) return 'is not a list';
      for (const [i, x] of v.entries()) {
        const p = valueProblem(f.of!, x);
        if (p !== null) return `item ${i} ${p}`;
      }
      return null;
    }
  }
}

/** What is wrong with `ev` (empty: nothing). */
export function eventProblems(ev: Readonly<Record<string, unknown>>): string[] {
  const out: string[] = [];
  const keys = Object.keys(ev);
  if (keys[0] !== 'seq' || keys[1] !== 'tMs' || keys[2] !== 'kind') out.push('does not start with seq, tMs, kind');
  if (typeof ev['seq'] !== 'number') out.push('seq is not a number');
  if (typeof ev['tMs'] !== 'number') out.push('tMs is not a number');
  const kind = typeof ev['kind'] === 'string' ? ev['kind'] : '';
  const fields = SPECS.get(kind);
  if (fields === undefined) return [...out, `kind ${JSON.stringify(ev['kind'])} is not a trace event kind`];
  const order = UNORDERED.has(kind) ? [] : Object.keys(fields);
  let last = -1;
  for (const [key, value] of Object.entries(ev)) {
    if (BASE.has(key)) continue;
    const f = Object.hasOwn(fields, key) ? fields[key]! : Object.hasOwn(COMMON, key) ? COMMON[key]! : undefined;
    if (f === undefined) { out.push(`${kind} has no field ${key}`); continue; }
    if (value === undefined) { out.push(`${kind}.${key} is undefined (leave it out instead)`); continue; }
    const p = valueProblem(f, value);
    if (p !== null) out.push(`${kind}.${key} ${p}: ${JSON.stringify(value)}`);
    const at = order.indexOf(key);
    if (at >= 0) {
      if (at < last) out.push(`${kind}.${key} comes after ${order[last]}, against the schema's order`);
      else last = at;
    }
  }
  for (const [key, f] of Object.entries(fields)) {
    if (!f.optional && !Object.hasOwn(ev, key)) out.push(`${kind} lacks its required field ${key}`);
  }
  return out;
}

/**
 * What is wrong with the timer events of one whole trace (empty: nothing). Every `timer.clear`
 * and `timer.fire` ends an armed `timer.set` with exactly its node, timer, conn and clientId
 * (a set of an armed timer re-arms it; a set with `replaces` ends the armed timer of that name,
 * which must be armed); a fire comes at its set's `dueMs`; when a host loses
 * power none of its timers is still armed at its `host.state` "off", and when its process
 * crashes none of the application's (every timer but tcp.*) is at `host.state` "crashed".
 */
export function timerProblems(trace: readonly Readonly<Record<string, unknown>>[]): string[] {
  const out: string[] = [];
  const armed = new Map<string, { seq: number; dueMs: number; node: string; timer: string }>();
  const key = (ev: Readonly<Record<string, unknown>>): string =>
    `${String(ev['node'])}|${String(ev['timer'])}|${String(ev['conn'] ?? '')}|${String(ev['clientId'] ?? '')}`;
  for (const ev of trace) {
    const kind = ev['kind'];
    const seq = ev['seq'] as number;
    if (kind === 'timer.set') {
      if (ev['replaces'] !== undefined) {
        // The slot's armed timer under that name ends here, as a timer.clear would end it.
        const k = key({ ...ev, timer: ev['replaces'] });
        if (!armed.delete(k)) out.push(`seq ${seq}: timer.set replaces ${k}, which is not armed`);
        if (ev['replaces'] === ev['timer']) out.push(`seq ${seq}: timer.set replaces its own timer (${k})`);
      }
      armed.set(key(ev), { seq, dueMs: ev['dueMs'] as number, node: ev['node'] as string, timer: ev['timer'] as string });
    } else if (kind === 'timer.clear' || kind === 'timer.fire') {
      const k = key(ev);
      const a = armed.get(k);
      if (a === undefined) out.push(`seq ${seq}: ${kind} of ${k} matches no armed timer.set`);
      else if (kind === 'timer.fire' && ev['tMs'] !== a.dueMs) out.push(`seq ${seq}: timer.fire of ${k} at ${String(ev['tMs'])} ms, due at ${a.dueMs} ms (set at seq ${a.seq})`);
      armed.delete(k);
    } else if (kind === 'host.state' && ev['state'] !== 'up') {
      for (const [k, a] of armed) {
        if (a.node !== ev['node'] || (ev['state'] === 'crashed' && a.timer.startsWith('tcp.'))) continue;
        out.push(`seq ${seq}: ${k} (set at seq ${a.seq}) is still armed when the host is ${String(ev['state'])}`);
      }
    }
  }
  return out;
}
