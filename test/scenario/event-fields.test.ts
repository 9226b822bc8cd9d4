// `expect[].where` keys are checked against the fields the named kind can have (CONTRACT.md
// section 2: "unknown keys are refused too, so that a typo never silently changes a run"), and
// the table of fields (sim/trace/fields.ts, derived from sim/trace/schema.ts) is kept honest by
// running real scenarios: every emitted event is checked against the schema.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { EVENT_KINDS } from '../../sim/scenario/event-kinds.ts';
import { parseScenario } from '../../sim/scenario/parse.ts';
import { LIMITS } from '../../sim/scenario/limits.ts';
import { RESOLVED_ACTION_KEYS } from '../../sim/scenario/parse-actions.ts';
import { resolveScenario } from '../../sim/scenario/resolve.ts';
import type { ScenarioV1 } from '../../sim/scenario/types.ts';
import { runScenario } from '../../sim/run.ts';
import { BASE_FIELDS, COMMON_FIELDS, EVENT_FIELDS, LIST_FIELDS, fieldsOfKind } from '../../sim/trace/fields.ts';
import { eventProblems, timerProblems } from '../../sim/trace/check.ts';
import { contractExample, minimal, rich } from './fixtures.ts';
import { randomScenario } from '../swarm-world.ts';

const lines = (input: unknown): string[] => {
  const r = parseScenario(input);
  return r.ok ? [] : r.problems.map((p) => `${p.path}: ${p.message}`);
};

function withExpect(...entries: unknown[]): ScenarioV1 {
  return { ...contractExample(), expect: entries as ScenarioV1['expect'] };
}

const WILL_FIELDS = '(fields: "node", "clientId", "topic", "cause", "conn", "payload", "qos", "retain", "why", "rule", "profile")';

describe('expect[].where keys', () => {
  it('refuses a key the kind never has, at its path, suggesting the field that differs by case', () => {
    expect(lines(withExpect(
      { kind: 'client.connected', count: 1 },
      { kind: 'will.published', where: { clientid: 'sensor' } },
    ))).toEqual([
      `expect[1].where.clientid: will.published events have no field "clientid" (did you mean "clientId"?), so it could never match ${WILL_FIELDS}`,
    ]);
  });

  it.each([
    ['a swapped pair', 'will.published', 'cuase', 'cause'],
    ['one letter missing', 'client.connected', 'nod', 'node'],
    ['two letters off in a long name', 'client.connected', 'sessionPresnt', 'sessionPresent'],
    ['a short name with a swap', 'mqtt.send', 'qso', 'qos'],
    ['an extension kind', 'seg.drop', 'reasn', 'reason'],
  ])('suggests the close field for %s', (_, kind, key, meant) => {
    const [line] = lines(withExpect({ kind, where: { [key]: 1 } }));
    expect(line).toMatch(new RegExp(`^expect\\[0\\]\\.where\\.${key}: ${kind.replace('.', '\\.')} events have no field "${key}" \\(did you mean "${meant}"\\?\\), so it could never match \\(fields: `));
  });

  it('suggests nothing for a key unlike every field, and still lists the fields', () => {
    expect(lines(withExpect({ kind: 'will.published', where: { zzz: 'x', clientId: 'sensor-1' } }))).toEqual([
      `expect[0].where.zzz: will.published events have no field "zzz", so it could never match ${WILL_FIELDS}`,
    ]);
  });

  it('refuses a field of another kind (will.published has no packet)', () => {
    expect(lines(withExpect({ kind: 'will.published', where: { packet: 'PUBLISH' } }))[0])
      .toMatch(/^expect\[0\]\.where\.packet: will\.published events have no field "packet", so it could never match/);
  });

  it('refuses inherited-looking and non-identifier keys, with the quoted path', () => {
    expect(lines(withExpect({ kind: 'session.expired', where: { 'constructor': 1, 'client id': 'x' } }))).toEqual([
      'expect[0].where.constructor: session.expired events have no field "constructor", so it could never match (fields: "node", "clientId", "why", "rule", "profile")',
      'expect[0].where["client id"]: session.expired events have no field "client id" (did you mean "clientId"?), so it could never match (fields: "node", "clientId", "why", "rule", "profile")',
    ]);
  });

  it('reports an unknown kind once, without checking its where keys', () => {
    expect(lines(withExpect({ kind: 'will.publish', where: { clientid: 'x' } }))).toEqual([
      'expect[0].kind: is not a trace event kind (did you mean "will.published"?), so it could never match',
    ]);
  });

  it('still checks values of known keys, and the key-count limit comes first', () => {
    expect(lines(withExpect({ kind: 'will.published', where: { clientId: ['a'] } }))).toEqual([
      'expect[0].where.clientId: must be a string, a number, true, false or null (events are matched by equal field values)',
    ]);
    const many = Object.fromEntries(Array.from({ length: LIMITS.whereKeys + 1 }, (_, i) => [`k${i}`, 1]));
    expect(lines(withExpect({ kind: 'will.published', where: many }))).toEqual([`expect[0].where: must have at most ${LIMITS.whereKeys} fields`]);
  });

  it('refuses a list field (where compares single values), at its path', () => {
    expect(lines(withExpect({ kind: 'nat.expired', where: { link: 'sensor' } }))).toEqual([
      'expect[0].where.link: is a list in nat.expired events, and where compares single values, so it could never match',
    ]);
    expect(lines(withExpect({ kind: 'mqtt.recv', where: { granted: 1, packet: 'SUBACK' } }))).toEqual([
      'expect[0].where.granted: is a list in mqtt.recv events, and where compares single values, so it could never match',
    ]);
  });

  it('accepts every single-valued field of every kind, the common fields, and seq/tMs/kind', () => {
    for (const kind of EVENT_KINDS) {
      const fields = [...fieldsOfKind(kind)!.filter((f) => !LIST_FIELDS.includes(f)), ...BASE_FIELDS];
      expect(fields.length, kind).toBeLessThanOrEqual(LIMITS.whereKeys);
      const where = Object.fromEntries(fields.map((f) => [f, null]));
      expect(lines(withExpect({ kind, where })), kind).toEqual([]);
    }
    expect(lines(withExpect({ kind: 'mqtt.send', where: { why: 'x', rule: 'MQTT-3.1.2-24', profile: 'aedes', tMs: 5 } }))).toEqual([]);
  });

  it('accepts the where keys of the fixtures and of every shipped scenario', () => {
    for (const make of [contractExample, minimal, rich]) expect(lines(make())).toEqual([]);
    for (const [name, s] of shipped()) expect(lines(s), name).toEqual([]);
  });
});

describe('the field table (sim/trace/fields.ts)', () => {
  it('has an entry for exactly the kinds expect accepts', () => {
    expect(Object.keys(EVENT_FIELDS).sort()).toEqual([...EVENT_KINDS].sort());
    for (const kind of EVENT_KINDS) expect(fieldsOfKind(kind), kind).toBeDefined();
    expect(fieldsOfKind('will.publish')).toBeUndefined();
  });

  it('lists for `action` every key a resolved action carries except atMs (latencyUs/jitterUs resolve to ...Ms)', () => {
    expect([...EVENT_FIELDS.action].sort()).toEqual(RESOLVED_ACTION_KEYS.filter((k) => k !== 'atMs').sort());
  });

  it('lists no field twice and never seq, tMs or kind', () => {
    for (const [kind, fields] of Object.entries(EVENT_FIELDS)) {
      const all = [...fields, ...COMMON_FIELDS];
      expect(new Set(all).size, kind).toBe(all.length);
      expect(all.filter((f) => BASE_FIELDS.includes(f)), kind).toEqual([]);
    }
  });
});

function shipped(): [string, unknown][] {
  const dir = join(import.meta.dirname, '..', '..', 'public', 'scenarios');
  const files = readdirSync(dir).filter((f) => f.endsWith('.json') && f !== 'index.json').sort();
  return files.map((f) => [f, JSON.parse(readFileSync(join(dir, f), 'utf8'))]);
}

/** Kinds no scenario can reach: broker.protocol-error needs a malformed or out-of-order packet. */
const UNREACHABLE = new Set(['broker.protocol-error']);

/**
 * An aedes broker whose client's CONNECT is lost on a lossy link and whose client then loses
 * power: the way to reach broker.connect-timeout. The first seed that loses the CONNECT after a
 * complete handshake is used, so the fixture does not depend on one seed's draws.
 */
function silentConnect(): ScenarioV1 {
  for (let seed = 1; seed <= 200; seed++) {
    const s: ScenarioV1 = {
      format: 'halfopen/scenario', version: 1, name: 'silent connection', seed, durationMs: 40_000,
      broker: { id: 'broker', profile: 'aedes' },
      clients: [{ id: 'device', keepAliveSeconds: 10, reconnect: false }],
      links: [{ between: ['device', 'broker'], latencyMs: 10, loss: 0.5 }],
      actions: [{ atMs: 100, do: 'power-off', node: 'device' }],
    };
    const parsed = parseScenario(s);
    if (!parsed.ok) throw new Error('silentConnect fixture does not parse');
    const trace = runScenario(resolveScenario(parsed.scenario), { keepTrace: true }).trace;
    if (trace.some((e) => e.kind === 'broker.connect-timeout')) return s;
  }
  throw new Error('no seed in 1..200 lost the CONNECT after a complete handshake');
}

/**
 * A mosquitto broker with a store (broker.persistence): a persistent subscriber leaves, a QoS 1
 * message is queued for it, the broker stops in order (SIGTERM) and restarts: the way to reach
 * session.restored.
 */
function brokerStore(): ScenarioV1 {
  return {
    format: 'halfopen/scenario', version: 1, name: 'broker store', durationMs: 12_000,
    broker: { id: 'broker', profile: 'mosquitto-2.0', persistence: { enabled: true, autosaveIntervalSeconds: 1 } },
    clients: [
      { id: 'pub', keepAliveSeconds: 60, will: { topic: 'status/pub', payload: 'offline', retain: true } },
      { id: 'logger', keepAliveSeconds: 60, cleanStart: false, reconnect: false, subscriptions: [{ topic: 'data/#', qos: 1 }] },
    ],
    actions: [
      { atMs: 1_000, do: 'disconnect', node: 'logger' },
      { atMs: 2_000, do: 'publish', node: 'pub', topic: 'data/x', payload: 'm1', qos: 1 },
      { atMs: 5_000, do: 'stop', node: 'broker' }, { atMs: 6_000, do: 'restart', node: 'broker' },
      { atMs: 8_000, do: 'connect', node: 'logger' },
    ],
  };
}

describe('drift guard: every field a run emits is in the table', { timeout: 120_000 }, () => {
  const runs: [string, unknown][] = [
    ...shipped(),
    ['fixtures: contract example', contractExample()],
    ['fixtures: rich', rich()],
    ['fixtures: silent connection (aedes waits for CONNECT)', silentConnect()],
    ['fixtures: broker store (persistence, stop, restart)', brokerStore()],
    ...Array.from({ length: 40 }, (_, i): [string, unknown] => [`randomScenario(${i + 1})`, randomScenario(i + 1)]),
  ];
  const seen = new Map<string, Set<string>>();

  it.each(runs)('%s', (name, input) => {
    const parsed = parseScenario(input);
    expect(parsed.ok ? [] : parsed.problems, name).toEqual([]);
    if (!parsed.ok) return;
    const unlisted = new Set<string>();
    const invalid = new Set<string>();
    const trace = runScenario(resolveScenario(parsed.scenario), { keepTrace: true }).trace;
    // Every timer.clear / timer.fire ends an armed timer.set with exactly its fields.
    expect(timerProblems(trace), name).toEqual([]);
    for (const ev of trace) {
      for (const p of eventProblems(ev)) invalid.add(p.replace(/: .*$/, ''));
      const fields = fieldsOfKind(ev.kind);
      if (fields === undefined) { unlisted.add(`${ev.kind} (unknown kind)`); continue; }
      let kindSeen = seen.get(ev.kind);
      if (kindSeen === undefined) seen.set(ev.kind, kindSeen = new Set());
      for (const key of Object.keys(ev)) {
        if (BASE_FIELDS.includes(key)) continue;
        kindSeen.add(key);
        if (!fields.includes(key)) unlisted.add(`${ev.kind}.${key} (seq ${ev.seq})`);
      }
    }
    // A field listed here is missing from sim/trace/schema.ts: add it, or `where` on it is refused.
    expect([...unlisted]).toEqual([]);
    // Types, required fields and key order as sim/trace/schema.ts declares them.
    expect([...invalid]).toEqual([]);
  });

  it('and the runs above emit every field the table lists (else the table or the emitter drifted)', () => {
    const never: string[] = [];
    for (const [kind, fields] of Object.entries(EVENT_FIELDS)) {
      if (UNREACHABLE.has(kind)) continue;
      const s = seen.get(kind);
      if (s === undefined) { never.push(`${kind} (no event)`); continue; }
      for (const f of fields) if (!s.has(f)) never.push(`${kind}.${f}`);
    }
    expect(never).toEqual([]);
  });
});
