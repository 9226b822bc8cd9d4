/**
 * The fields each trace event kind may carry, besides `seq`, `tMs` and `kind` which every
 * event has: computed from trace/schema.ts, the one place kinds and fields are declared.
 * Read by the scenario validator: an `expect[].where` key that no event of the named kind can
 * have is refused, since the entry would silently match nothing (CONTRACT.md section 2,
 * "unknown keys are refused too"), and so is a list field (`where` compares single values).
 * test/scenario/event-fields.test.ts runs shipped and generated scenarios and fails when an
 * emitted field is missing from the schema, or a declared one is never emitted.
 */
import { COMMON_FIELDS as COMMON_SPEC, TRACE_SCHEMA } from './schema.ts';
import type { Kind } from './schema.ts';

/** Fields any event may carry (why, rule, profile). */
export const COMMON_FIELDS: readonly string[] = Object.keys(COMMON_SPEC);

type FieldNames = { readonly [K in Kind]: readonly (keyof (typeof TRACE_SCHEMA)[K]['fields'] & string)[] };

/** Per kind, the fields its events may carry, excluding seq/tMs/kind and COMMON_FIELDS, in schema order. */
export const EVENT_FIELDS: FieldNames = Object.fromEntries(
  Object.entries(TRACE_SCHEMA).map(([kind, spec]) => [kind, Object.keys(spec.fields)]),
) as unknown as FieldNames;

export type EventFieldKind = Kind;

/**
 * Fields whose values are lists in some kind (`link` is [a, b]; SUBACK `granted` and
 * SUBSCRIBE `topics`). `where` compares with a single value, so it can never match them.
 */
export const LIST_FIELDS: readonly string[] = [...new Set(
  Object.values(TRACE_SCHEMA).flatMap((spec) => Object.entries(spec.fields as Record<string, { type: string }>)
    .filter(([, f]) => f.type === 'list' || f.type === 'pair').map(([name]) => name)),
)];

/** Fields present on every event, whatever its kind. */
export const BASE_FIELDS: readonly string[] = ['seq', 'tMs', 'kind'];

const ALL_BY_KIND: ReadonlyMap<string, readonly string[]> = new Map(
  Object.entries(EVENT_FIELDS).map(([k, f]) => [k, [...f, ...COMMON_FIELDS]]),
);

/** Every field an event of `kind` may carry besides seq/tMs/kind (undefined: unknown kind). */
export function fieldsOfKind(kind: string): readonly string[] | undefined {
  return ALL_BY_KIND.get(kind);
}
