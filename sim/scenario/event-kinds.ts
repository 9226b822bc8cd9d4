/**
 * The trace event kinds an `expect` entry may name (CONTRACT.md section 3 plus Halfopen's
 * extensions): the kinds of trace/schema.ts, in its order. An entry naming any other kind is
 * refused, because it could never match: `{ "kind": "will.publish", "none": true }` would pass
 * silently forever. A kind's `where` keys come from the same schema (trace/fields.ts).
 */
import { TRACE_SCHEMA } from '../trace/schema.ts';

const kinds = Object.entries(TRACE_SCHEMA);

export const REQUIRED_KINDS: readonly string[] = kinds.filter(([, s]) => s.contract).map(([k]) => k);

export const EXTENSION_KINDS: readonly string[] = kinds.filter(([, s]) => !s.contract).map(([k]) => k);

export const EVENT_KINDS: readonly string[] = [...REQUIRED_KINDS, ...EXTENSION_KINDS];
