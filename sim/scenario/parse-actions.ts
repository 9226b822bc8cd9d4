/**
 * Validation of `actions` and `expect` in scenario file v1 (CONTRACT.md section 2).
 *
 * Each action kind (`do`) takes its own fields and nothing else; node-only actions on the
 * wrong kind of node and links that do not exist are refused here rather than becoming
 * silent no-ops in a run. A 3.1.1 DISCONNECT has no reason code (MQTT 3.1.1 section 3.14:
 * no variable header), so a non-zero `reasonCode` needs a 5.0 client (MQTT 5.0 3.14.2.1).
 * A `where` key that no event of the entry's kind can carry (trace/fields.ts) is refused
 * like any unknown key: the entry could never match, so a typo would pass silently forever.
 * `set-link` may give latency and jitter in microseconds (`latencyUs`, `jitterUs`, a version 1
 * extension), never both units for one quantity (parseMsOrUs, shared with `links[]`).
 */
import { didYouMean, indexPath, isPlainObject, keyPath, listOf } from './check.ts';
import type { Checker } from './check.ts';
import type { Fields } from './check.ts';
import { EVENT_KINDS } from './event-kinds.ts';
import { BASE_FIELDS, LIST_FIELDS, fieldsOfKind } from '../trace/fields.ts';
import { DIRECTIONS, LIMITS } from './limits.ts';
import { checkPair, suggestNode } from './node-table.ts';
import type { NodeTable } from './node-table.ts';
import { topicNameProblem } from './topic-check.ts';

type Out = Record<string, unknown>;

function put(out: Out, key: string, value: unknown): void {
  if (value !== undefined) out[key] = value;
}

export const ACTION_FIELDS: Readonly<Record<string, readonly string[]>> = {
  'power-off': ['node'],
  'power-on': ['node'],
  crash: ['node'],
  restart: ['node'],
  stop: ['node'],
  connect: ['node'],
  disconnect: ['node', 'reasonCode'],
  cut: ['link', 'direction'],
  heal: ['link', 'direction'],
  'set-link': ['link', 'latencyMs', 'latencyUs', 'jitterMs', 'jitterUs', 'loss'],
  publish: ['node', 'topic', 'payload', 'qos', 'retain'],
  'nat-flush': ['link'],
  // Extension: the broker's process is stopped (SIGSTOP) / continued (SIGCONT); its kernel runs on.
  pause: ['node'],
  resume: ['node'],
};
export const ACTION_KINDS: readonly string[] = Object.keys(ACTION_FIELDS);
export const CLIENT_ONLY = ['connect', 'disconnect', 'publish'];
/** Actions only the broker takes: its process paused/resumed (SIGSTOP/SIGCONT) or stopped in order (SIGTERM). */
export const BROKER_ONLY = ['pause', 'resume', 'stop'];
/** Every key an action in a file may have. */
export const ALL_ACTION_KEYS: readonly string[] = ['atMs', 'do', ...new Set(Object.values(ACTION_FIELDS).flat())];
/** Keys of a file's action that resolveScenario gives in milliseconds instead (resolve.ts). */
export const MICROSECOND_ACTION_KEYS: readonly string[] = ['latencyUs', 'jitterUs'];
/** Every key a resolved action may have; the `action` trace event carries all but `atMs`. */
export const RESOLVED_ACTION_KEYS: readonly string[] = ALL_ACTION_KEYS.filter((k) => !MICROSECOND_ACTION_KEYS.includes(k));

/**
 * A link quantity (`latency` or `jitter`) given as `<q>Ms` or `<q>Us` (integers, the same
 * bound of an hour), into `out`. Both units at once is refused: which one was meant is unclear.
 */
export function parseMsOrUs(c: Checker, f: Fields, path: string, out: Out, quantity: 'latency' | 'jitter'): void {
  const msKey = `${quantity}Ms`;
  const usKey = `${quantity}Us`;
  const ms = c.int(f, path, msKey, { min: 0, max: LIMITS.linkMs });
  const us = c.int(f, path, usKey, { min: 0, max: LIMITS.linkUs });
  if (f.has(msKey) && f.has(usKey)) {
    c.add(keyPath(path, usKey), `is given together with ${JSON.stringify(msKey)} (${keyPath(path, msKey)}); ` +
      `give the ${quantity} in one unit only`);
    return;
  }
  put(out, msKey, ms);
  put(out, usKey, us);
}

export function parseActions(c: Checker, top: Fields, nodes: NodeTable, horizonMs: number): Out[] | undefined {
  const list = c.array(top, '', 'actions', LIMITS.actions);
  if (list === null) return undefined;
  return list.map((v, i) => parseAction(c, indexPath('actions', i), v, nodes, horizonMs));
}

function parseAction(c: Checker, path: string, v: unknown, nodes: NodeTable, horizonMs: number): Out {
  const out: Out = {};
  const f = c.object(path, v, ALL_ACTION_KEYS, 'an object like {"atMs": 25000, "do": "power-off", "node": "sensor"}');
  if (f === null) return out;
  const atMs = c.int(f, path, 'atMs', { min: 0, max: LIMITS.durationMs }, true, 'milliseconds');
  if (atMs !== undefined && atMs > horizonMs) {
    c.add(keyPath(path, 'atMs'), `is after durationMs (${horizonMs}), so the action would never happen`);
  } else put(out, 'atMs', atMs);
  const kind = c.oneOf(f, path, 'do', ACTION_KINDS, true);
  if (kind === undefined) return out;
  out.do = kind;
  const takes = ACTION_FIELDS[kind] ?? [];
  for (const key of f.keys()) {
    if (key !== 'atMs' && key !== 'do' && ALL_ACTION_KEYS.includes(key) && !takes.includes(key)) {
      c.add(keyPath(path, key), `is not a field of "${kind}" (it takes ${listOf(['atMs', 'do', ...takes])})`);
    }
  }

  if (takes.includes('node')) {
    const node = c.str(f, path, 'node', { min: 1, max: 64, required: true });
    if (node !== undefined) {
      const isClient = nodes.clients.has(node);
      if (!isClient && node !== nodes.brokerId) {
        c.add(keyPath(path, 'node'), `no node has the id ${JSON.stringify(node)}${suggestNode(node, nodes)}`);
      } else if (!isClient && CLIENT_ONLY.includes(kind)) {
        c.add(keyPath(path, 'node'), `"${node}" is the broker, but "${kind}" is done by a client`);
      } else if (isClient && BROKER_ONLY.includes(kind)) {
        c.add(keyPath(path, 'node'), kind === 'stop'
          ? `"${node}" is a client, but "${kind}" (an orderly stop of the broker process) applies to the broker only; use "crash" or "disconnect" for a client`
          : `"${node}" is a client, but only the broker's process can "${kind}" (name "${nodes.brokerId ?? 'the broker'}")`);
      } else out.node = node;
    }
  }
  if (takes.includes('link') && !c.missing(f, path, 'link', ' (a pair of node ids: a client and the broker)')) {
    const pair = checkPair(c, keyPath(path, 'link'), f.get('link'), nodes);
    const client = pair === undefined ? undefined : pair[0] === nodes.brokerId ? pair[1] : pair[0];
    if (kind === 'nat-flush' && client !== undefined && !nodes.natLinks.has(client)) {
      c.add(keyPath(path, 'link'), `the link of "${client}" has no NAT to flush; give that link "natIdleTimeoutMs" in "links"`);
    } else put(out, 'link', pair);
  }

  switch (kind) {
    case 'disconnect': {
      const reason = c.int(f, path, 'reasonCode', { min: 0, max: 255 });
      const client = typeof out.node === 'string' ? nodes.clients.get(out.node) : undefined;
      if (reason !== undefined && reason !== 0 && client?.protocol === '3.1.1') {
        c.add(keyPath(path, 'reasonCode'), `an MQTT 3.1.1 DISCONNECT has no reason code, and "${String(out.node)}" uses protocol "3.1.1"; set its "protocol" to "5.0"`);
      } else put(out, 'reasonCode', reason);
      break;
    }
    case 'cut':
    case 'heal':
      put(out, 'direction', c.oneOf(f, path, 'direction', DIRECTIONS));
      break;
    case 'set-link': {
      parseMsOrUs(c, f, path, out, 'latency');
      parseMsOrUs(c, f, path, out, 'jitter');
      put(out, 'loss', c.num(f, path, 'loss', { min: 0, max: 1 }));
      const changes = ['latencyMs', 'latencyUs', 'jitterMs', 'jitterUs', 'loss'];
      if (!changes.some((k) => f.has(k))) {
        c.add(path, `"set-link" needs at least one of ${listOf(changes)}`);
      }
      break;
    }
    case 'publish': {
      const topic = c.str(f, path, 'topic', { max: 65_535, required: true });
      const problem = topic === undefined ? null : topicNameProblem(topic);
      if (problem !== null) c.add(keyPath(path, 'topic'), problem);
      else put(out, 'topic', topic);
      put(out, 'payload', c.str(f, path, 'payload', { max: LIMITS.payloadChars, required: true }));
      put(out, 'qos', c.int(f, path, 'qos', { min: 0, max: 2 }, true));
      put(out, 'retain', c.bool(f, path, 'retain'));
      break;
    }
    default:
      break;
  }
  return out;
}

export const EXPECT_KEYS = ['kind', 'where', 'count', 'atLeast', 'none', 'betweenMs'];

export function parseExpect(c: Checker, top: Fields): Out[] | undefined {
  const list = c.array(top, '', 'expect', LIMITS.expect);
  if (list === null) return undefined;
  return list.map((v, i) => {
    const path = indexPath('expect', i);
    const out: Out = {};
    const f = c.object(path, v, EXPECT_KEYS, 'an object like {"kind": "will.published", "count": 1}');
    if (f === null) return out;
    const kind = c.str(f, path, 'kind', { min: 1, max: LIMITS.kindChars, required: true });
    const known = kind !== undefined && EVENT_KINDS.includes(kind);
    if (kind !== undefined && !known) {
      c.add(keyPath(path, 'kind'), `is not a trace event kind${didYouMean(kind, EVENT_KINDS)}, so it could never match`);
    } else put(out, 'kind', kind);
    if (f.has('where')) put(out, 'where', parseWhere(c, keyPath(path, 'where'), f.get('where'), known ? kind : undefined));
    put(out, 'count', c.int(f, path, 'count', { min: 0, max: LIMITS.count }));
    put(out, 'atLeast', c.int(f, path, 'atLeast', { min: 0, max: LIMITS.count }));
    if (f.has('none')) {
      if (f.get('none') !== true) c.add(keyPath(path, 'none'), 'must be true (leave it out otherwise)');
      else out.none = true;
    }
    const given = ['count', 'atLeast', 'none'].filter((k) => f.has(k));
    if (given.length > 1) c.add(path, `give at most one of "count", "atLeast", "none" (found ${listOf(given)})`);
    if (f.has('betweenMs')) {
      const bp = keyPath(path, 'betweenMs');
      const b = f.get('betweenMs');
      if (!Array.isArray(b) || b.length !== 2) {
        c.add(bp, 'must be a pair [lo, hi] of integer milliseconds');
      } else {
        const range = { min: 0, max: LIMITS.durationMs };
        const lo = c.intValue(indexPath(bp, 0), b[0], range, 'milliseconds');
        const hi = c.intValue(indexPath(bp, 1), b[1], range, 'milliseconds');
        if (lo !== undefined && hi !== undefined) {
          if (lo > hi) c.add(bp, `lo (${lo}) must not be greater than hi (${hi})`);
          else out.betweenMs = [lo, hi];
        }
      }
    }
    return out;
  });
}

function parseWhere(c: Checker, path: string, v: unknown, kind: string | undefined): Out | undefined {
  if (!isPlainObject(v)) {
    c.add(path, 'must be an object of field values, like {"clientId": "sensor-1"}');
    return undefined;
  }
  const f: Fields = new Map(Object.entries(v));
  if (f.size > LIMITS.whereKeys) { c.add(path, `must have at most ${LIMITS.whereKeys} fields`); return undefined; }
  const out: Out = {};
  // Only a known kind has a field list; an unknown kind is reported on its own.
  const fields = kind === undefined ? undefined : fieldsOfKind(kind);
  for (const [key, value] of f) {
    if (fields !== undefined && !fields.includes(key) && !BASE_FIELDS.includes(key)) {
      c.add(keyPath(path, key), `${kind} events have no field ${JSON.stringify(key)}${suggestField(key, fields)}, ` +
        `so it could never match (fields: ${listOf(fields)})`);
      continue;
    }
    if (fields !== undefined && LIST_FIELDS.includes(key)) {
      c.add(keyPath(path, key), `is a list in ${kind} events, and where compares single values, so it could never match`);
      continue;
    }
    const ok = value === null || typeof value === 'boolean' ||
      (typeof value === 'number' && Number.isFinite(value)) ||
      (typeof value === 'string' && value.length <= LIMITS.whereStringChars);
    if (!ok) c.add(keyPath(path, key), 'must be a string, a number, true, false or null (events are matched by equal field values)');
    else out[key] = value;
  }
  return out;
}

/**
 * ` (did you mean "clientId"?)` for a where key that differs from a field only by case, by one
 * or two edits (a swap counts as one), or that the general suggestion finds; '' otherwise.
 */
function suggestField(key: string, fields: readonly string[]): string {
  const k = key.toLowerCase();
  let best: string | null = null;
  let bestScore = Infinity;
  for (const f of fields) {
    const d = editDistance(k, f.toLowerCase());
    // Two edits only when both names are long enough that two edits leave most of them.
    const limit = Math.min(k.length, f.length) >= 4 ? 2 : 1;
    if (d <= limit && d < bestScore) { best = f; bestScore = d; }
  }
  return best === null ? didYouMean(key, fields) : ` (did you mean ${JSON.stringify(best)}?)`;
}

/** Optimal string alignment distance (insert, delete, substitute, swap neighbours). */
function editDistance(a: string, b: string): number {
  if (a.length > 64 || b.length > 64) return 99;
  const rows: number[][] = [];
  for (let i = 0; i <= a.length; i++) {
    const row = [i];
    for (let j = 1; j <= b.length; j++) {
      if (i === 0) { row.push(j); continue; }
      const prev = rows[i - 1]!;
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let d = Math.min(prev[j]! + 1, row[j - 1]! + 1, prev[j - 1]! + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) d = Math.min(d, rows[i - 2]![j - 2]! + 1);
      row.push(d);
    }
    rows.push(row);
  }
  return rows[a.length]![b.length]!;
}
