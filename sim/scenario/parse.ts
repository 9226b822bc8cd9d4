/**
 * Scenario file v1 (CONTRACT.md section 2): untrusted JSON in, a typed `ScenarioV1` or the
 * complete list of problems out, each with the JSON path of the offending value.
 *
 * This is the only code that trusts nothing; it never throws. It reports every problem it
 * can find (not just the first), refuses unknown keys (with a suggestion when one is close),
 * and bounds every size so that a hostile file cannot hang a browser (limits.ts). Defaults
 * are not applied here (resolve.ts). Actions and expectations: parse-actions.ts.
 * Host TCP settings (`tcp`) take the ranges Linux's sysctl handlers accept (limits.ts).
 * MQTT facts used: Keep Alive and Server Keep Alive are Two Byte Integers (3.1.2.10,
 * 3.2.2.3.14); Session Expiry and Will Delay are MQTT 5.0 only (3.1.2.11.2, 3.1.3.2.2).
 */
import { Checker, indexPath, isPlainObject, keyPath, listOf, ROOT } from './check.ts';
import type { Fields, Problem } from './check.ts';
import { findDuplicateKeys, findJsonSyntaxError } from './json-text.ts';
import {
  BROKER_PROFILE_NAMES, CLIENT_PROFILE_NAMES, FORMAT, KERNEL_PROFILE_NAMES, LIMITS, NODE_ID, NODE_ID_RULE,
  PROTOCOLS, PROXY_CLOSES,
} from './limits.ts';
import { migrateToLatest } from './migrate.ts';
import { parseActions, parseExpect, parseMsOrUs } from './parse-actions.ts';
import { parsePersistence } from './parse-persistence.ts';
import { checkPair, memberName } from './node-table.ts';
import type { NodeTable } from './node-table.ts';
import { mqttStringProblem, topicFilterProblem, topicNameProblem } from './topic-check.ts';
import type { ClientSpec, ScenarioV1 } from './types.ts';

export type { Problem } from './check.ts';
export type ParseResult = { ok: true; scenario: ScenarioV1 } | { ok: false; problems: Problem[] };

export const TOP_KEYS = ['$schema', 'format', 'version', 'name', 'description', 'seed', 'durationMs', 'broker', 'clients', 'links', 'actions', 'expect'];
export const BROKER_KEYS = ['id', 'profile', 'serverKeepAliveSeconds', 'maxKeepAliveSeconds', 'tcpKeepAlive', 'tcp', 'persistence'];
export const CLIENT_KEYS = [
  'id', 'clientId', 'protocol', 'library', 'keepAliveSeconds', 'cleanStart', 'sessionExpirySeconds',
  'will', 'subscriptions', 'publish', 'connectAtMs', 'reconnect', 'tcpKeepAlive', 'tcp', 'count', 'pingIntervalMs',
];
export const WILL_KEYS = ['topic', 'payload', 'qos', 'retain', 'delaySeconds'];
export const SUBSCRIPTION_KEYS = ['topic', 'qos'];
export const PUBLISH_KEYS = ['topic', 'payload', 'qos', 'retain', 'everyMs', 'startMs'];
export const LINK_KEYS = [
  'between', 'latencyMs', 'latencyUs', 'jitterMs', 'jitterUs', 'loss', 'natIdleTimeoutMs', 'proxyIdleTimeoutMs', 'proxyClose',
];
export const RECONNECT_KEYS = ['delayMs', 'backoff', 'maxDelayMs', 'jitter'];
export const TCP_KEEPALIVE_KEYS = ['idleSeconds', 'intervalSeconds', 'probes'];
export const HOST_TCP_KEYS = [
  'kernel', 'retries2', 'synRetries', 'synackRetries', 'synLinearTimeouts', 'orphanRetries', 'userTimeoutMs', 'lossProbes',
  'somaxconn', 'maxSynBacklog', 'syncookies', 'abortOnOverflow',
];
const QOS = { min: 0, max: 2 };

type Out = Record<string, unknown>;

/** Sets `out[key]` only when the value was present and valid, so absent keys stay absent. */
function put(out: Out, key: string, value: unknown): void {
  if (value !== undefined) out[key] = value;
}

export function parseScenarioText(text: string): ParseResult {
  if (typeof text !== 'string') return fail(ROOT, 'must be text');
  if (text.length > LIMITS.textChars) {
    return fail(ROOT, `the file is too large (at most ${LIMITS.textChars / 1048576} Mi characters)`);
  }
  const body = text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
  let json: unknown;
  try {
    json = JSON.parse(body);
  } catch {
    const e = findJsonSyntaxError(body);
    const where = e === null ? '' : ` at line ${e.line}, column ${e.column}: ${e.message}`;
    return fail(ROOT, `invalid JSON${where}`);
  }
  const duplicates = findDuplicateKeys(body, keyPath, indexPath);
  if (duplicates.length > 0) {
    return {
      ok: false,
      problems: duplicates.map((d) => ({
        path: d.path,
        message: `given twice (again at line ${d.line}, column ${d.column}); JSON keeps only the last one, so remove the other`,
      })),
    };
  }
  return parseScenario(json);
}

function fail(path: string, message: string): ParseResult {
  return { ok: false, problems: [{ path, message }] };
}

export function parseScenario(json: unknown): ParseResult {
  try {
    return parseScenarioUnsafe(json);
  } catch (e) {
    // Not expected (the property test looks for this text); never let a file crash a caller.
    return fail(ROOT, `internal error while reading the scenario: ${e instanceof Error ? e.message : String(e)}`);
  }
}

function parseScenarioUnsafe(json: unknown): ParseResult {
  const c = new Checker();
  if (!isPlainObject(json)) {
    return fail(ROOT, `must be a JSON object such as {"format": "${FORMAT}", "version": 1, ...}`);
  }
  const raw: Fields = new Map(Object.entries(json));
  if (!raw.has('format')) c.add('format', `is required ("${FORMAT}")`);
  else if (raw.get('format') !== FORMAT) c.add('format', `must be "${FORMAT}" (is this a Halfopen scenario file?)`);

  const migrated = migrateToLatest(json, raw.has('version'), raw.get('version'));
  c.problems.push(...migrated.problems);
  if (migrated.file === null) return { ok: false, problems: c.problems };

  const top = c.object('', migrated.file, TOP_KEYS) ?? new Map<string, unknown>();
  // `$schema`: the JSON Schema an editor checks the file against (lib/scenario.schema.json);
  // allowed so that editors can complete and check fields, read as a string, never used.
  c.str(top, '', '$schema', { min: 1, max: LIMITS.schemaRefChars });
  const out: Out = { format: FORMAT, version: 1 };
  put(out, 'name', c.str(top, '', 'name', { min: 1, max: LIMITS.nameChars, required: true }));
  put(out, 'description', c.str(top, '', 'description', { max: LIMITS.descriptionChars }));
  put(out, 'seed', c.int(top, '', 'seed', { min: 0, max: LIMITS.seed }));
  const durationMs = c.int(top, '', 'durationMs', { min: 1, max: LIMITS.durationMs }, true, 'milliseconds');
  put(out, 'durationMs', durationMs);
  const horizonMs = durationMs ?? LIMITS.durationMs;

  const nodes: NodeTable = { brokerId: undefined, clients: new Map(), names: [], natLinks: new Set() };
  if (c.missing(top, '', 'broker', ' (an object with at least "id")') === false) {
    put(out, 'broker', parseBroker(c, top.get('broker'), nodes));
  }
  const clientList = c.array(top, '', 'clients', LIMITS.clients, true);
  if (clientList !== null) {
    const clients: ClientSpec[] = [];
    let total = 0;
    for (let i = 0; i < clientList.length; i++) {
      const client = parseClient(c, indexPath('clients', i), clientList[i], nodes, horizonMs);
      if (client !== undefined) clients.push(client);
      total += client?.count ?? 1;
      if (total > LIMITS.clients) {
        // Stop before registering more members: a hostile file cannot make a huge node table.
        c.add(indexPath('clients', i), `the clients (counting every member of a group) are more than ${LIMITS.clients.toLocaleString('en-US')}, the limit`);
        break;
      }
    }
    out.clients = clients;
  }
  put(out, 'links', parseLinks(c, top, nodes));
  put(out, 'actions', parseActions(c, top, nodes, horizonMs));
  put(out, 'expect', parseExpect(c, top));

  if (c.problems.length > 0) return { ok: false, problems: c.problems };
  return { ok: true, scenario: out as unknown as ScenarioV1 };
}

function registerNode(c: Checker, nodes: NodeTable, path: string, id: string): boolean {
  if (id === nodes.brokerId) { c.add(path, `"${id}" is already the broker's id; node ids must be unique`); return false; }
  const other = nodes.clients.get(id);
  if (other !== undefined) { c.add(path, `"${id}" is already used by clients[${other.index}].id; node ids must be unique`); return false; }
  nodes.names.push(id);
  return true;
}

function nodeId(c: Checker, f: Fields, path: string): string | undefined {
  const id = c.str(f, path, 'id', { min: 1, max: 64, required: true });
  if (id === undefined) return undefined;
  if (!NODE_ID.test(id)) { c.add(keyPath(path, 'id'), NODE_ID_RULE); return undefined; }
  return id;
}

function parseTcpKeepAlive(c: Checker, f: Fields, path: string): Out | false | undefined {
  if (!f.has('tcpKeepAlive')) return undefined;
  const p = keyPath(path, 'tcpKeepAlive');
  const v = f.get('tcpKeepAlive');
  if (v === false) return false;
  const k = c.object(p, v, TCP_KEEPALIVE_KEYS, 'false or an object like {"idleSeconds": 7200, "intervalSeconds": 75, "probes": 9}');
  if (k === null) return undefined;
  const out: Out = {};
  put(out, 'idleSeconds', c.int(k, p, 'idleSeconds', { min: 1, max: LIMITS.tcpKeepIdleSeconds }));
  put(out, 'intervalSeconds', c.int(k, p, 'intervalSeconds', { min: 1, max: LIMITS.tcpKeepIntervalSeconds }));
  put(out, 'probes', c.int(k, p, 'probes', { min: 1, max: LIMITS.tcpKeepProbes }));
  return out;
}

/**
 * `tcp` (broker and clients): the host's kernel profile and sysctls, each within the range
 * Linux accepts (limits.ts). Absent keys stay absent; resolveHostTcp fills them from `kernel`.
 */
function parseHostTcp(c: Checker, f: Fields, path: string): Out | undefined {
  if (!f.has('tcp')) return undefined;
  const p = keyPath(path, 'tcp');
  const t = c.object(p, f.get('tcp'), HOST_TCP_KEYS, 'an object like {"kernel": "linux-6.12", "retries2": 8}');
  if (t === null) return undefined;
  const out: Out = {};
  const kernel = t.get('kernel');
  const version = typeof kernel === 'string' ? /^linux-(\d{1,3})\.(\d{1,3})$/i.exec(kernel) : null;
  if (version !== null && !(KERNEL_PROFILE_NAMES as readonly string[]).includes(kernel as string)) {
    // A kernel without a profile of its own: name the profile that behaves like it.
    const linear = Number(version[1]) > 6 || (Number(version[1]) === 6 && Number(version[2]) >= 5);
    c.add(keyPath(p, 'kernel'), `must be one of ${listOf(KERNEL_PROFILE_NAMES)}; for ${kernel as string} use ` +
      (linear ? '"linux-6.12" (tcp_syn_linear_timeouts exists from Linux 6.5)' : '"linux-6.1" (no tcp_syn_linear_timeouts before Linux 6.5)'));
  } else put(out, 'kernel', c.oneOf(t, p, 'kernel', KERNEL_PROFILE_NAMES));
  put(out, 'retries2', c.int(t, p, 'retries2', { min: 0, max: LIMITS.tcpRetries2 }));
  put(out, 'synRetries', c.int(t, p, 'synRetries', { min: LIMITS.tcpSynRetriesMin, max: LIMITS.maxTcpSyncnt }));
  put(out, 'synackRetries', c.int(t, p, 'synackRetries', { min: 0, max: LIMITS.tcpSynackRetries }));
  put(out, 'synLinearTimeouts', c.int(t, p, 'synLinearTimeouts', { min: 0, max: LIMITS.maxTcpSyncnt }));
  put(out, 'orphanRetries', c.int(t, p, 'orphanRetries', { min: 0, max: LIMITS.tcpOrphanRetries }));
  put(out, 'userTimeoutMs', c.int(t, p, 'userTimeoutMs', { min: 0, max: LIMITS.tcpUserTimeoutMs }));
  put(out, 'lossProbes', c.bool(t, p, 'lossProbes'));
  put(out, 'somaxconn', c.int(t, p, 'somaxconn', { min: 0, max: LIMITS.somaxconn }));
  put(out, 'maxSynBacklog', c.int(t, p, 'maxSynBacklog', { min: 0, max: LIMITS.maxSynBacklog }));
  put(out, 'syncookies', c.int(t, p, 'syncookies', { min: 0, max: 2 }));
  put(out, 'abortOnOverflow', c.bool(t, p, 'abortOnOverflow'));
  return out;
}

function parseBroker(c: Checker, v: unknown, nodes: NodeTable): Out | undefined {
  const f = c.object('broker', v, BROKER_KEYS);
  if (f === null) return undefined;
  const out: Out = {};
  const id = nodeId(c, f, 'broker');
  if (id !== undefined) { nodes.brokerId = id; nodes.names.push(id); }
  put(out, 'id', id);
  put(out, 'profile', c.oneOf(f, 'broker', 'profile', BROKER_PROFILE_NAMES));
  put(out, 'serverKeepAliveSeconds', c.int(f, 'broker', 'serverKeepAliveSeconds', { min: 0, max: LIMITS.u16 }));
  put(out, 'maxKeepAliveSeconds', c.int(f, 'broker', 'maxKeepAliveSeconds', { min: 0, max: LIMITS.u16 }));
  put(out, 'tcpKeepAlive', parseTcpKeepAlive(c, f, 'broker'));
  put(out, 'tcp', parseHostTcp(c, f, 'broker'));
  put(out, 'persistence', parsePersistence(c, f, 'broker'));
  return out;
}

function topicField(c: Checker, f: Fields, path: string, filter: boolean): string | undefined {
  const topic = c.str(f, path, 'topic', { max: 65_535, required: true });
  if (topic === undefined) return undefined;
  const problem = filter ? topicFilterProblem(topic) : topicNameProblem(topic);
  if (problem !== null) { c.add(keyPath(path, 'topic'), problem); return undefined; }
  return topic;
}

function payloadField(c: Checker, f: Fields, path: string, required: boolean): string | undefined {
  return c.str(f, path, 'payload', { max: LIMITS.payloadChars, required });
}

const MQTT5_ONLY = (what: string, protocol: string, fix: string): string =>
  `${what} exists only in MQTT 5.0, and this client uses protocol "${protocol}": ${fix}`;

function parseClient(c: Checker, path: string, v: unknown, nodes: NodeTable, horizonMs: number): ClientSpec | undefined {
  const f = c.object(path, v, CLIENT_KEYS);
  if (f === null) return undefined;
  const out: Out = {};
  const id = nodeId(c, f, path);
  const protocol = c.oneOf(f, path, 'protocol', PROTOCOLS);
  const count = c.int(f, path, 'count', { min: 1, max: LIMITS.clients });
  const width = count === undefined ? 0 : String(count).length;
  const index = Number(/\[(\d+)\]$/.exec(path)?.[1] ?? -1);
  if (id !== undefined && count !== undefined && id.length + 1 + width > 64) {
    c.add(keyPath(path, 'id'), `with "count": ${count} the members are named "${id}-${'1'.padStart(width, '0')}" …; ` +
      `that is more than 64 characters, so shorten the id to at most ${63 - width}`);
  } else if (id !== undefined && registerNode(c, nodes, keyPath(path, 'id'), id)) {
    const entry = { index, protocol: protocol ?? '3.1.1' as const };
    if (count === undefined) nodes.clients.set(id, entry);
    else {
      nodes.clients.set(id, { ...entry, group: { count, width } });
      for (let n = 1; n <= count; n++) {
        const member = memberName(id, n, width);
        const other = nodes.clients.get(member);
        if (other !== undefined || member === nodes.brokerId) {
          c.add(keyPath(path, 'id'), `its member "${member}" has the id of ${other === undefined ? 'the broker' : `clients[${other.index}]`}; node ids must be unique`);
          break;
        }
        nodes.clients.set(member, entry);
      }
    }
  }
  put(out, 'id', id);
  put(out, 'count', count);
  const clientId = c.str(f, path, 'clientId', { min: 1, max: LIMITS.clientIdChars - (count === undefined ? 0 : width + 1) });
  const clientIdProblem = clientId === undefined ? null : mqttStringProblem(clientId);
  if (clientIdProblem !== null) c.add(keyPath(path, 'clientId'), clientIdProblem);
  else put(out, 'clientId', clientId);
  put(out, 'protocol', protocol);
  put(out, 'library', c.oneOf(f, path, 'library', CLIENT_PROFILE_NAMES));
  put(out, 'keepAliveSeconds', c.int(f, path, 'keepAliveSeconds', { min: 0, max: LIMITS.u16 }));
  put(out, 'cleanStart', c.bool(f, path, 'cleanStart'));
  const sessionExpiry = c.int(f, path, 'sessionExpirySeconds', { min: 0, max: LIMITS.u32 });
  const v311 = (protocol ?? '3.1.1') === '3.1.1' && (protocol !== undefined || !f.has('protocol'));
  if (sessionExpiry !== undefined && sessionExpiry !== 0 && v311) {
    c.add(keyPath(path, 'sessionExpirySeconds'), MQTT5_ONLY('Session Expiry Interval', '3.1.1',
      'set "protocol": "5.0", or use "cleanStart": false for a 3.1.1 session that lasts until the next clean connect'));
  } else put(out, 'sessionExpirySeconds', sessionExpiry);

  if (f.has('will')) {
    const wp = keyPath(path, 'will');
    const w = c.object(wp, f.get('will'), WILL_KEYS, 'an object like {"topic": "status/x", "payload": "offline"}');
    if (w !== null) {
      const will: Out = {};
      put(will, 'topic', topicField(c, w, wp, false));
      put(will, 'payload', payloadField(c, w, wp, true));
      put(will, 'qos', c.int(w, wp, 'qos', QOS));
      put(will, 'retain', c.bool(w, wp, 'retain'));
      const delay = c.int(w, wp, 'delaySeconds', { min: 0, max: LIMITS.u32 });
      if (delay !== undefined && delay !== 0 && v311) {
        c.add(keyPath(wp, 'delaySeconds'), MQTT5_ONLY('Will Delay Interval', '3.1.1',
          'a 3.1.1 Will is published as soon as the connection is lost; set "protocol": "5.0" to delay it'));
      } else put(will, 'delaySeconds', delay);
      out.will = will;
    }
  }

  const subs = c.array(f, path, 'subscriptions', LIMITS.subscriptionsPerClient);
  if (subs !== null) {
    out.subscriptions = subs.map((s, i) => {
      const sp = indexPath(keyPath(path, 'subscriptions'), i);
      const sf = c.object(sp, s, SUBSCRIPTION_KEYS, 'an object like {"topic": "status/#", "qos": 1}');
      if (sf === null) return undefined;
      const sub: Out = {};
      put(sub, 'topic', topicField(c, sf, sp, true));
      put(sub, 'qos', c.int(sf, sp, 'qos', QOS));
      return sub;
    });
  }

  const pubs = c.array(f, path, 'publish', LIMITS.publishPerClient);
  if (pubs !== null) {
    out.publish = pubs.map((s, i) => {
      const pp = indexPath(keyPath(path, 'publish'), i);
      const pf = c.object(pp, s, PUBLISH_KEYS, 'an object like {"topic": "t/temp", "payload": "21.5", "everyMs": 5000}');
      if (pf === null) return undefined;
      const pub: Out = {};
      put(pub, 'topic', topicField(c, pf, pp, false));
      put(pub, 'payload', payloadField(c, pf, pp, true));
      put(pub, 'qos', c.int(pf, pp, 'qos', QOS));
      put(pub, 'retain', c.bool(pf, pp, 'retain'));
      put(pub, 'everyMs', c.int(pf, pp, 'everyMs', { min: 1, max: LIMITS.durationMs }, true, 'milliseconds'));
      put(pub, 'startMs', c.int(pf, pp, 'startMs', { min: 0, max: LIMITS.durationMs }));
      return pub;
    });
  }

  const windowValue = f.get('connectAtMs');
  if (isPlainObject(windowValue)) {
    put(out, 'connectAtMs', parseConnectWindow(c, keyPath(path, 'connectAtMs'), windowValue, f.has('count'), horizonMs));
  } else {
    const connectAtMs = c.int(f, path, 'connectAtMs', { min: 0, max: LIMITS.durationMs });
    if (connectAtMs !== undefined && connectAtMs > horizonMs) {
      c.add(keyPath(path, 'connectAtMs'), `is after durationMs (${horizonMs}), so the client would never connect`);
    } else put(out, 'connectAtMs', connectAtMs);
  }

  if (f.has('reconnect')) {
    const rp = keyPath(path, 'reconnect');
    const r = f.get('reconnect');
    if (r === false) out.reconnect = false;
    else {
      const rf = c.object(rp, r, RECONNECT_KEYS, 'false (never reconnect) or an object like {"delayMs": 1000, "backoff": 2, "maxDelayMs": 60000, "jitter": 0.5}');
      if (rf !== null) {
        const delayMs = c.int(rf, rp, 'delayMs', { min: 1, max: LIMITS.reconnectDelayMs }, true, 'milliseconds');
        const backoff = c.num(rf, rp, 'backoff', { min: 1, max: LIMITS.reconnectBackoff });
        const maxDelayMs = c.int(rf, rp, 'maxDelayMs', { min: 1, max: LIMITS.reconnectDelayMs }, false, 'milliseconds');
        const jitter = c.num(rf, rp, 'jitter', { min: 0, max: 1 });
        if (delayMs !== undefined && maxDelayMs !== undefined && maxDelayMs < delayMs) {
          c.add(keyPath(rp, 'maxDelayMs'), `is ${maxDelayMs}, below delayMs (${delayMs}): the cap must be at least the first wait`);
        } else if (delayMs !== undefined) {
          const spec: Out = { delayMs };
          put(spec, 'backoff', backoff);
          put(spec, 'maxDelayMs', maxDelayMs);
          put(spec, 'jitter', jitter);
          out.reconnect = spec;
        }
      }
    }
  }
  if (f.has('pingIntervalMs')) {
    if (f.get('pingIntervalMs') === false) out.pingIntervalMs = false;
    else {
      put(out, 'pingIntervalMs', c.int(f, path, 'pingIntervalMs', { min: 1, max: LIMITS.durationMs }, false,
        'milliseconds, or false for a device that never sends PINGREQ'));
    }
  }
  put(out, 'tcpKeepAlive', parseTcpKeepAlive(c, f, path));
  put(out, 'tcp', parseHostTcp(c, f, path));
  return out as unknown as ClientSpec;
}

/** `connectAtMs` as a window `{ "fromMs", "toMs" }`: client groups only, inside the run. */
function parseConnectWindow(c: Checker, p: string, v: unknown, isGroup: boolean, horizonMs: number): Out | undefined {
  const w = c.object(p, v, ['fromMs', 'toMs'], 'an object like {"fromMs": 0, "toMs": 10000}');
  if (w === null) return undefined;
  if (!isGroup) {
    c.add(p, 'a window {"fromMs", "toMs"} spreads the connects of a client group; give "count", or a number of milliseconds');
    return undefined;
  }
  const fromMs = c.int(w, p, 'fromMs', { min: 0, max: LIMITS.durationMs }, true, 'milliseconds');
  const toMs = c.int(w, p, 'toMs', { min: 0, max: LIMITS.durationMs }, true, 'milliseconds');
  if (fromMs === undefined || toMs === undefined) return undefined;
  if (toMs < fromMs) { c.add(keyPath(p, 'toMs'), `must not be before fromMs (${fromMs})`); return undefined; }
  if (toMs > horizonMs) { c.add(keyPath(p, 'toMs'), `is after durationMs (${horizonMs}), so some members would never connect`); return undefined; }
  return { fromMs, toMs };
}

function parseLinks(c: Checker, top: Fields, nodes: NodeTable): Out[] | undefined {
  const list = c.array(top, '', 'links', LIMITS.links);
  if (list === null) return undefined;
  const seen = new Map<string, number>();
  return list.map((v, i) => {
    const path = indexPath('links', i);
    const f = c.object(path, v, LINK_KEYS, 'an object like {"between": ["sensor", "broker"], "latencyMs": 10}');
    const out: Out = {};
    if (f === null) return out;
    if (!c.missing(f, path, 'between', ' (a pair of node ids: a client and the broker)')) {
      const pair = checkPair(c, keyPath(path, 'between'), f.get('between'), nodes);
      if (pair !== undefined) {
        const client = pair[0] === nodes.brokerId ? pair[1] : pair[0];
        const group = nodes.clients.get(client)?.group;
        // A link naming a group is the link of every member (CONTRACT.md, client groups).
        const names = group === undefined ? [client] : Array.from({ length: group.count }, (_, k) => memberName(client, k + 1, group.width));
        const clash = names.find((n) => seen.has(n));
        if (clash !== undefined || seen.has(client)) {
          const which = clash ?? client;
          c.add(keyPath(path, 'between'), `the link of "${which}" is already given by links[${seen.get(which) ?? -1}]; give each link once`);
        } else {
          seen.set(client, i);
          for (const n of names) seen.set(n, i);
          out.between = pair;
          // The links a `nat-flush` action may name (parse-actions.ts).
          if (f.has('natIdleTimeoutMs')) for (const n of [client, ...names]) nodes.natLinks.add(n);
        }
      }
    }
    parseMsOrUs(c, f, path, out, 'latency');
    parseMsOrUs(c, f, path, out, 'jitter');
    put(out, 'loss', c.num(f, path, 'loss', { min: 0, max: 1 }));
    put(out, 'natIdleTimeoutMs', c.int(f, path, 'natIdleTimeoutMs', { min: 1, max: LIMITS.durationMs }));
    parseProxy(c, f, path, out);
    return out;
  });
}

/**
 * `proxyIdleTimeoutMs` / `proxyClose` (extension, net/proxy.ts): a TCP-terminating proxy that
 * closes idle flows. One middlebox per link in this model, so not together with a NAT; the
 * close needs the timeout it belongs to.
 */
function parseProxy(c: Checker, f: Fields, path: string, out: Out): void {
  put(out, 'proxyIdleTimeoutMs', c.int(f, path, 'proxyIdleTimeoutMs', { min: 1, max: LIMITS.durationMs }));
  put(out, 'proxyClose', c.oneOf(f, path, 'proxyClose', PROXY_CLOSES));
  if (f.has('proxyIdleTimeoutMs') && f.has('natIdleTimeoutMs')) {
    c.add(keyPath(path, 'proxyIdleTimeoutMs'), 'is given together with "natIdleTimeoutMs"; a link has at most one middlebox ' +
      'in this model (a NAT that forgets silently, or a proxy that closes), so give one');
  }
  if (f.has('proxyClose') && !f.has('proxyIdleTimeoutMs')) {
    c.add(keyPath(path, 'proxyClose'), 'says how a proxy closes idle flows, and this link has no "proxyIdleTimeoutMs"; give one, or leave proxyClose out');
  }
}
