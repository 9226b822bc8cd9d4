/**
 * The trace reference (sim/trace/README.md) rendered from trace/schema.ts. Pure: returns the
 * Markdown; `npx tsx test/trace/write-doc.ts` writes the file and test/trace/schema.test.ts
 * fails when the file is not what this renders.
 */
import type { Field } from './schema.ts';
import { COMMON_FIELDS, TRACE_SCHEMA } from './schema.ts';
import { TIMERS } from './timers.ts';
import { DROP_REASON_WORDS, HOST_STATE_WORDS } from './words.ts';

function typeText(f: Field): string {
  let t: string;
  switch (f.type) {
    case 'string': t = f.named !== undefined ? `string (${f.named})` : 'string'; break;
    case 'number': t = 'number'; break;
    case 'boolean': t = 'boolean'; break;
    case 'enum': t = f.values!.map((v) => `\`${JSON.stringify(v)}\``).join(', '); break;
    case 'pair': t = '[string, string]'; break;
    case 'list': t = `list of ${typeText(f.of!)}`; break;
  }
  return f.nullable ? `${t}, or null` : t;
}

function fieldRows(fields: Readonly<Record<string, Field>>): string[] {
  return Object.entries(fields).map(([name, f]) => `| \`${name}\` | ${f.optional ? 'optional' : 'required'} | ${typeText(f)} |`);
}

export function renderTraceDoc(): string {
  const kinds = Object.entries(TRACE_SCHEMA) as [string, { contract: boolean; doc: string; fields: Readonly<Record<string, Field>> }][];
  const out = [
    '<!-- Generated from sim/trace/schema.ts by `npx tsx test/trace/write-doc.ts`: edit the schema, not this file. -->',
    '# Trace events, version 1',
    '',
    'One JSON object per line (NDJSON). Every event starts with `seq`, `tMs` (virtual milliseconds,',
    'fractions down to microseconds) and `kind`; the fields below follow in the order listed',
    '(MQTT packet events write each packet type\'s own fields in that type\'s order). "contract"',
    'kinds are required by CONTRACT.md section 3; the others are Halfopen\'s extensions.',
    '',
    'Any event may also carry these common fields:',
    '',
    '| field | | type |',
    '|---|---|---|',
    ...fieldRows(COMMON_FIELDS),
    '',
    '`why` is a plain-language explanation with the standard\'s statement id, `rule` that id, and',
    '`profile` the broker or client profile that decided it.',
    '',
    '## Kinds',
    '',
    '| kind | | what happened |',
    '|---|---|---|',
    ...kinds.map(([kind, s]) => `| [\`${kind}\`](#${kind.replace(/\./g, '')}) | ${s.contract ? 'contract' : 'extension'} | ${s.doc} |`),
  ];
  for (const [kind, s] of kinds) {
    out.push('', `### ${kind}`, '', `${s.doc[0]!.toUpperCase()}${s.doc.slice(1)}.`, '', '| field | | type |', '|---|---|---|', ...fieldRows(s.fields));
  }
  out.push(
    '', '## Timers', '',
    'The `timer` of timer.set, timer.clear and timer.fire (sim/trace/timers.ts, where the app reads these words too):',
    '', '| timer | label | what it is for |', '|---|---|---|',
    ...Object.entries(TIMERS).map(([name, t]) => `| \`${name}\` | ${t.label} | ${t.meaning} |`),
    '', '## Drop reasons and host states', '',
    'seg.drop `reason` and host.state `state` in words (sim/trace/words.ts, which the app shows):',
    '', '| value | meaning |', '|---|---|',
    ...Object.entries(DROP_REASON_WORDS).map(([v, w]) => `| \`reason: "${v}"\` | ${w} |`),
    ...Object.entries(HOST_STATE_WORDS).map(([v, w]) => `| \`state: "${v}"\` | ${w} |`),
  );
  return out.join('\n') + '\n';
}
