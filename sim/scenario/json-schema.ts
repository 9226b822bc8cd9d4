/**
 * The JSON Schema (draft 2020-12) of scenario files, for editors: generated from the
 * validator's own tables, so a key the validator adds or drops changes the schema too. The key
 * lists of every object (parse.ts, parse-actions.ts), the names (profiles, protocols, kernels,
 * directions, action kinds, trace event kinds), the node id pattern and the bounds (LIMITS) are
 * read from there; each key's JSON type and range is stated here beside them (the validator's
 * calls carry them as arguments), and test/scenario/json-schema.test.ts checks that a real
 * JSON Schema validator and parse.ts agree on every shipped scenario and on a corpus of
 * invalid files, and that every key of every object is described.
 *
 * What a JSON Schema cannot say stays in the validator alone (so the schema accepts a few
 * files `halfopen validate` refuses): node ids that exist and are unique, a link joining a
 * client and the broker, MQTT 5.0-only fields on a 3.1.1 client, topic name/filter syntax,
 * `connectAtMs` after `durationMs`, `lo <= hi` in `betweenMs`, `where` fields of the kind,
 * JSON keys given twice, and actions whose node is the broker where a client is needed.
 */
import { PERSISTENCE_KEYS } from './parse-persistence.ts';
import {
  BROKER_KEYS, CLIENT_KEYS, HOST_TCP_KEYS, LINK_KEYS, PUBLISH_KEYS, RECONNECT_KEYS, SUBSCRIPTION_KEYS, TCP_KEEPALIVE_KEYS,
  TOP_KEYS, WILL_KEYS,
} from './parse.ts';
import { ACTION_FIELDS, EXPECT_KEYS } from './parse-actions.ts';
import { EVENT_KINDS } from './event-kinds.ts';
import { ACTION_DOCS } from './action-docs.ts';
import {
  CLIENT_EXTRA_DOCS, hostTcpDocs, LINK_MIDDLEBOX_DOCS, PERSISTENCE_DOCS, RECONNECT_DOCS, TCP_KEEPALIVE_DOCS,
} from './field-docs.ts';
import type { FieldDoc } from './field-docs.ts';
import {
  BROKER_PROFILE_NAMES, CLIENT_PROFILE_NAMES, DIRECTIONS, FORMAT, KERNEL_PROFILE_NAMES, LIMITS, NODE_ID, PROTOCOLS,
  PROXY_CLOSES,
} from './limits.ts';

type Schema = Record<string, unknown>;

const int = (minimum: number, maximum: number): Schema => ({ type: 'integer', minimum, maximum });
const num = (minimum: number, maximum: number): Schema => ({ type: 'number', minimum, maximum });
const str = (minLength: number, maxLength: number): Schema => ({ type: 'string', minLength, maxLength });
const bool: Schema = { type: 'boolean' };
const oneOf = (values: readonly (string | number)[]): Schema => ({ enum: [...values] });
const nodeId: Schema = { type: 'string', pattern: NODE_ID.source };
const QOS = int(0, 2);
const DURATION = int(0, LIMITS.durationMs);
const TOPIC = str(0, 65_535);
const PAYLOAD = str(0, LIMITS.payloadChars);

/**
 * An object with exactly the validator's keys (`keys`, its table), each described in
 * `props`; a key of the table without a description is a generator bug (thrown at once).
 */
function object(keys: readonly string[], props: Record<string, Schema>, required: readonly string[] = [], extra: Schema = {}): Schema {
  const properties: Record<string, Schema> = {};
  for (const k of keys) {
    const p = props[k];
    if (p === undefined) throw new Error(`json-schema.ts: no description of key ${JSON.stringify(k)}`);
    properties[k] = p;
  }
  for (const k of Object.keys(props)) {
    if (!keys.includes(k)) throw new Error(`json-schema.ts: ${JSON.stringify(k)} is not a key the validator accepts`);
  }
  const out: Schema = { type: 'object', properties, additionalProperties: false, ...extra };
  if (required.length > 0) out['required'] = [...required];
  return out;
}

/**
 * The plain words of field-docs.ts as each key's `description` (what an editor shows on
 * hover); each property is copied, since shared pieces (DURATION, …) serve several keys.
 */
function withDocs(o: Schema, docs: readonly FieldDoc[]): Schema {
  const properties = { ...(o['properties'] as Record<string, Schema>) };
  for (const d of docs) {
    const p = properties[d.key];
    if (p === undefined) throw new Error(`json-schema.ts: ${JSON.stringify(d.key)} of field-docs.ts is not a key here`);
    properties[d.key] = { ...p, description: `${d.help} Default: ${d.default}.` };
  }
  return { ...o, properties };
}

const TCP_KEEPALIVE: Schema = {
  anyOf: [{ const: false }, withDocs(object(TCP_KEEPALIVE_KEYS, {
    idleSeconds: int(1, LIMITS.tcpKeepIdleSeconds),
    intervalSeconds: int(1, LIMITS.tcpKeepIntervalSeconds),
    probes: int(1, LIMITS.tcpKeepProbes),
  }), TCP_KEEPALIVE_DOCS)],
};

const HOST_TCP = withDocs(object(HOST_TCP_KEYS, {
  kernel: oneOf(KERNEL_PROFILE_NAMES),
  retries2: int(0, LIMITS.tcpRetries2),
  synRetries: int(LIMITS.tcpSynRetriesMin, LIMITS.maxTcpSyncnt),
  synackRetries: int(0, LIMITS.tcpSynackRetries),
  synLinearTimeouts: int(0, LIMITS.maxTcpSyncnt),
  orphanRetries: int(0, LIMITS.tcpOrphanRetries),
  userTimeoutMs: int(0, LIMITS.tcpUserTimeoutMs),
  lossProbes: bool,
  somaxconn: int(0, LIMITS.somaxconn),
  maxSynBacklog: int(0, LIMITS.maxSynBacklog),
  syncookies: int(0, 2),
  abortOnOverflow: bool,
}), hostTcpDocs());

/** `latencyMs` or `latencyUs`, never both (the same for jitter). */
const notBoth = (a: string, b: string): Schema => ({ not: { required: [a, b] } });
const LINK_UNITS = [notBoth('latencyMs', 'latencyUs'), notBoth('jitterMs', 'jitterUs')];

const PAIR: Schema = { type: 'array', items: nodeId, minItems: 2, maxItems: 2 };

/** A client group's first connects spread over a window (only with `count`). */
const CONNECT_WINDOW = object(['fromMs', 'toMs'], { fromMs: DURATION, toMs: DURATION }, ['fromMs', 'toMs']);

const CLIENT_FIELDS = withDocs(object(CLIENT_KEYS, {
  id: nodeId,
  clientId: str(1, LIMITS.clientIdChars),
  protocol: oneOf(PROTOCOLS),
  library: oneOf(CLIENT_PROFILE_NAMES),
  keepAliveSeconds: int(0, LIMITS.u16),
  cleanStart: bool,
  sessionExpirySeconds: int(0, LIMITS.u32),
  will: object(WILL_KEYS, {
    topic: TOPIC, payload: PAYLOAD, qos: QOS, retain: bool, delaySeconds: int(0, LIMITS.u32),
  }, ['topic', 'payload']),
  subscriptions: {
    type: 'array', maxItems: LIMITS.subscriptionsPerClient,
    items: object(SUBSCRIPTION_KEYS, { topic: TOPIC, qos: QOS }, ['topic']),
  },
  publish: {
    type: 'array', maxItems: LIMITS.publishPerClient,
    items: object(PUBLISH_KEYS, {
      topic: TOPIC, payload: PAYLOAD, qos: QOS, retain: bool, everyMs: int(1, LIMITS.durationMs), startMs: DURATION,
    }, ['topic', 'payload', 'everyMs']),
  },
  connectAtMs: { anyOf: [DURATION, CONNECT_WINDOW] },
  pingIntervalMs: { anyOf: [{ const: false }, int(1, LIMITS.durationMs)] },
  reconnect: {
    anyOf: [{ const: false }, withDocs(object(RECONNECT_KEYS, {
      delayMs: int(1, LIMITS.reconnectDelayMs),
      backoff: { type: 'number', minimum: 1, maximum: LIMITS.reconnectBackoff },
      maxDelayMs: int(1, LIMITS.reconnectDelayMs),
      jitter: { type: 'number', minimum: 0, maximum: 1 },
    }, ['delayMs']), RECONNECT_DOCS)],
  },
  tcpKeepAlive: TCP_KEEPALIVE,
  tcp: HOST_TCP,
  count: int(1, LIMITS.clients),
}, ['id']), CLIENT_EXTRA_DOCS);

/** A window for connectAtMs needs `count` (a group); a single device has one connect time. */
const CLIENT: Schema = {
  ...CLIENT_FIELDS,
  if: { properties: { connectAtMs: { type: 'object' } }, required: ['connectAtMs'] },
  then: { required: ['count'] },
};

/** Every field an action may carry, described once; each `do` takes its own (ACTION_FIELDS). */
const ACTION_FIELD: Record<string, Schema> = {
  node: str(1, 64), link: PAIR, reasonCode: int(0, 255), direction: oneOf(DIRECTIONS),
  latencyMs: int(0, LIMITS.linkMs), latencyUs: int(0, LIMITS.linkUs),
  jitterMs: int(0, LIMITS.linkMs), jitterUs: int(0, LIMITS.linkUs), loss: num(0, 1),
  topic: TOPIC, payload: PAYLOAD, qos: QOS, retain: bool,
};
const ACTION_REQUIRED: Record<string, readonly string[]> = { publish: ['node', 'topic', 'payload', 'qos'] };

function action(kind: string, takes: readonly string[]): Schema {
  const props: Record<string, Schema> = { atMs: DURATION, do: { const: kind } };
  for (const k of takes) {
    const p = ACTION_FIELD[k];
    if (p === undefined) throw new Error(`json-schema.ts: no description of action field ${JSON.stringify(k)}`);
    props[k] = p;
  }
  const base = takes.includes('node') ? ['node'] : ['link'];
  const required = ['atMs', 'do', ...(ACTION_REQUIRED[kind] ?? base)];
  const extra: Schema = kind === 'set-link'
    ? { allOf: [...LINK_UNITS, { anyOf: ['latencyMs', 'latencyUs', 'jitterMs', 'jitterUs', 'loss'].map((k) => ({ required: [k] })) }] }
    : {};
  const described: Schema = ACTION_DOCS[kind] === undefined ? {} : { description: ACTION_DOCS[kind] };
  return object(['atMs', 'do', ...takes], props, [...new Set(required)], { ...described, ...extra });
}

const WHERE_VALUE: Schema = { anyOf: [{ type: ['boolean', 'null', 'number'] }, str(0, LIMITS.whereStringChars)] };

const EXPECT = object(EXPECT_KEYS, {
  kind: oneOf(EVENT_KINDS),
  where: { type: 'object', maxProperties: LIMITS.whereKeys, additionalProperties: WHERE_VALUE },
  count: int(0, LIMITS.count),
  atLeast: int(0, LIMITS.count),
  none: { const: true },
  betweenMs: { type: 'array', items: DURATION, minItems: 2, maxItems: 2 },
}, ['kind'], {
  not: { anyOf: [{ required: ['count', 'atLeast'] }, { required: ['count', 'none'] }, { required: ['atLeast', 'none'] }] },
});

/** The schema itself (a fresh object on each call). */
export function scenarioJsonSchema(): Schema {
  return {
    $schema: 'https://json-schema.org/draft/2020-12/schema',
    $id: 'https://halfopen.invalid/scenario-v1.schema.json',
    title: 'Halfopen scenario, version 1',
    description: 'Generated from the validator (sim/scenario/json-schema.ts); `halfopen validate FILE` checks what a schema cannot.',
    ...object(TOP_KEYS, {
      $schema: str(1, LIMITS.schemaRefChars),
      format: { const: FORMAT },
      version: { const: 1 },
      name: str(1, LIMITS.nameChars),
      description: str(0, LIMITS.descriptionChars),
      seed: int(0, LIMITS.seed),
      durationMs: int(1, LIMITS.durationMs),
      broker: object(BROKER_KEYS, {
        id: nodeId, profile: oneOf(BROKER_PROFILE_NAMES),
        serverKeepAliveSeconds: int(0, LIMITS.u16), maxKeepAliveSeconds: int(0, LIMITS.u16),
        tcpKeepAlive: TCP_KEEPALIVE, tcp: HOST_TCP,
        persistence: withDocs(object(PERSISTENCE_KEYS, {
          enabled: { type: 'boolean' }, autosaveIntervalSeconds: int(0, LIMITS.autosaveIntervalSeconds),
          autosaveAfterChanges: int(1, LIMITS.count),
        }, [], { not: { required: ['autosaveIntervalSeconds', 'autosaveAfterChanges'] } }), PERSISTENCE_DOCS),
      }, ['id']),
      clients: { type: 'array', maxItems: LIMITS.clients, items: CLIENT },
      links: {
        type: 'array', maxItems: LIMITS.links,
        items: withDocs(object(LINK_KEYS, {
          between: PAIR,
          latencyMs: int(0, LIMITS.linkMs), latencyUs: int(0, LIMITS.linkUs),
          jitterMs: int(0, LIMITS.linkMs), jitterUs: int(0, LIMITS.linkUs),
          loss: num(0, 1), natIdleTimeoutMs: int(1, LIMITS.durationMs),
          proxyIdleTimeoutMs: int(1, LIMITS.durationMs), proxyClose: oneOf(PROXY_CLOSES),
        }, ['between'], {
          allOf: [
            ...LINK_UNITS,
            { not: { required: ['natIdleTimeoutMs', 'proxyIdleTimeoutMs'] } },
            { dependentRequired: { proxyClose: ['proxyIdleTimeoutMs'] } },
          ],
        }), LINK_MIDDLEBOX_DOCS),
      },
      actions: {
        type: 'array', maxItems: LIMITS.actions,
        items: { oneOf: Object.entries(ACTION_FIELDS).map(([kind, takes]) => action(kind, takes)) },
      },
      expect: { type: 'array', maxItems: LIMITS.expect, items: EXPECT },
    }, ['format', 'version', 'name', 'durationMs', 'broker', 'clients']),
  };
}
