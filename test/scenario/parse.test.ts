// Scenario file v1 validation (CONTRACT.md section 2): every rule, with exact paths and messages.
import { describe, expect, it } from 'vitest';
import { parseScenario, parseScenarioText } from '../../sim/scenario/parse.ts';
import { contractExample, minimal, rich } from './fixtures.ts';

type Json = Record<string, any>;

function lines(input: unknown): string[] {
  const r = parseScenario(input);
  return r.ok ? [] : r.problems.map((p) => `${p.path}: ${p.message}`);
}

function mutated(base: () => unknown, change: (s: Json) => void): unknown {
  const s = base() as Json;
  change(s);
  return s;
}

describe('parseScenario accepts valid files', () => {
  it.each([
    ['the contract example', contractExample],
    ['only the required keys', minimal],
    ['every action kind, MQTT 5 fields, links in either order', rich],
  ])('%s', (_, make) => {
    const r = parseScenario(make());
    expect(r.ok ? [] : r.problems).toEqual([]);
    expect(r.ok && r.scenario).toEqual(make());
  });

  it('returns a copy that shares nothing with the input', () => {
    const input = contractExample();
    const r = parseScenario(input);
    if (!r.ok) throw new Error('expected ok');
    input.clients[0]!.keepAliveSeconds = 99;
    (input.actions![0] as Json).node = 'x';
    expect(r.scenario.clients[0]!.keepAliveSeconds).toBe(10);
    expect((r.scenario.actions![0] as Json).node).toBe('sensor');
  });

  it('accepts limits at their edges', () => {
    expect(lines(mutated(minimal, (s) => {
      s.seed = 4294967295; s.durationMs = 604800000; s.name = 'n'.repeat(200);
      s.clients[0].keepAliveSeconds = 65535;
      s.clients[0].protocol = '5.0'; s.clients[0].sessionExpirySeconds = 4294967295;
      s.links = [{ between: ['c1', 'broker'], loss: 1, latencyMs: 0 }];
      s.actions = [{ atMs: 604800000, do: 'power-off', node: 'broker' }];
    }))).toEqual([]);
  });
});

const cases: [string, () => unknown, (s: Json) => void, string[]][] = [
  // top level
  ['wrong format', minimal, (s) => { s.format = 'halfopen/trace'; }, ['format: must be "halfopen/scenario" (is this a Halfopen scenario file?)']],
  ['missing format', minimal, (s) => { delete s.format; }, ['format: is required ("halfopen/scenario")']],
  ['missing version', minimal, (s) => { delete s.version; }, ['version: is required (the format version; this Halfopen reads versions from 1 to 1)']],
  ['version as a string', minimal, (s) => { s.version = '1'; }, ['version: must be an integer from 1 to 1']],
  ['version from the future', minimal, (s) => { s.version = 2; s.unknownThing = 1; },
    ['version: version 2 is newer than this Halfopen understands (it reads versions from 1 to 1); update Halfopen']],
  ['missing name', minimal, (s) => { delete s.name; }, ['name: is required (a non-empty string)']],
  ['empty name', minimal, (s) => { s.name = ''; }, ['name: must not be empty']],
  ['name too long', minimal, (s) => { s.name = 'x'.repeat(201); }, ['name: must be at most 200 characters long']],
  ['description too long', minimal, (s) => { s.description = 'x'.repeat(20001); }, ['description: must be at most 20000 characters long']],
  ['negative seed', minimal, (s) => { s.seed = -1; }, ['seed: must be an integer from 0 to 4294967295']],
  ['seed beyond 32 bits', minimal, (s) => { s.seed = 4294967296; }, ['seed: must be an integer from 0 to 4294967295']],
  ['fractional seed', minimal, (s) => { s.seed = 1.5; }, ['seed: must be an integer from 0 to 4294967295']],
  ['missing durationMs', minimal, (s) => { delete s.durationMs; }, ['durationMs: is required (an integer from 1 to 604800000, in milliseconds)']],
  ['zero durationMs', minimal, (s) => { s.durationMs = 0; }, ['durationMs: must be an integer from 1 to 604800000 (milliseconds)']],
  ['durationMs over 7 days', minimal, (s) => { s.durationMs = 604800001; }, ['durationMs: must be an integer from 1 to 604800000 (milliseconds)']],
  ['unknown top-level key with a suggestion', minimal, (s) => { s.duration = 5; }, ['duration: unknown key (did you mean "durationMs"?)']],
  ['unknown key that looks like nothing', minimal, (s) => { s.zzz = 5; }, ['zzz: unknown key']],
  ['inherited-looking keys are plain unknown keys', minimal, (s) => { s['constructor'] = 1; (s as Record<string, unknown>)['toString'] = 2; },
    ['constructor: unknown key', 'toString: unknown key']],
  ['a key that is not an identifier is quoted in the path', minimal, (s) => { s['bad key'] = 1; }, ['(root)["bad key"]: unknown key']],
  ['missing broker', minimal, (s) => { delete s.broker; }, ['broker: is required (an object with at least "id")']],
  ['broker not an object', minimal, (s) => { s.broker = 'broker'; }, ['broker: must be an object']],
  ['missing clients', minimal, (s) => { delete s.clients; }, ['clients: is required (an array)']],
  ['clients not an array', minimal, (s) => { s.clients = {}; }, ['clients: must be an array']],
  // broker
  ['broker id missing', minimal, (s) => { delete s.broker.id; }, ['broker.id: is required (a non-empty string)']],
  ['broker id with a slash', minimal, (s) => { s.broker.id = 'a/b'; },
    ['broker.id: must be 1 to 64 letters, digits, "_", ".", ":" or "-", not starting with "." ":" or "-"']],
  ['unknown broker profile', minimal, (s) => { s.broker.profile = 'mosquito'; },
    ['broker.profile: must be one of "spec", "mosquitto-2.0", "aedes" (did you mean "mosquitto-2.0"?)']],
  ['serverKeepAliveSeconds out of range', minimal, (s) => { s.broker.serverKeepAliveSeconds = 65536; },
    ['broker.serverKeepAliveSeconds: must be an integer from 0 to 65535']],
  ['maxKeepAliveSeconds not a number', minimal, (s) => { s.broker.maxKeepAliveSeconds = '600'; },
    ['broker.maxKeepAliveSeconds: must be an integer from 0 to 65535']],
  ['tcpKeepAlive probes beyond Linux MAX_TCP_KEEPCNT', minimal, (s) => { s.broker.tcpKeepAlive = { probes: 128 }; },
    ['broker.tcpKeepAlive.probes: must be an integer from 1 to 127']],
  ['tcpKeepAlive true', minimal, (s) => { s.broker.tcpKeepAlive = true; },
    ['broker.tcpKeepAlive: must be false or an object like {"idleSeconds": 7200, "intervalSeconds": 75, "probes": 9}']],
  // clients
  ['the contract\'s own example of a bad keep-alive', minimal, (s) => { s.clients[0].keepAliveSeconds = 65536; },
    ['clients[0].keepAliveSeconds: must be an integer from 0 to 65535']],
  ['negative keep-alive', minimal, (s) => { s.clients[0].keepAliveSeconds = -1; },
    ['clients[0].keepAliveSeconds: must be an integer from 0 to 65535']],
  ['keep-alive as a string', minimal, (s) => { s.clients[0].keepAliveSeconds = '10'; },
    ['clients[0].keepAliveSeconds: must be an integer from 0 to 65535']],
  ['misspelt keep-alive', minimal, (s) => { s.clients[0].keepAlive = 10; },
    ['clients[0].keepAlive: unknown key (did you mean "keepAliveSeconds"?)']],
  ['client not an object', minimal, (s) => { s.clients.push(7); }, ['clients[1]: must be an object']],
  ['client id missing', minimal, (s) => { delete s.clients[0].id; }, ['clients[0].id: is required (a non-empty string)']],
  ['two clients with one id', minimal, (s) => { s.clients.push({ id: 'c1' }); },
    ['clients[1].id: "c1" is already used by clients[0].id; node ids must be unique']],
  ['a client named like the broker', minimal, (s) => { s.clients.push({ id: 'broker' }); },
    ['clients[1].id: "broker" is already the broker\'s id; node ids must be unique']],
  ['two clients may share a ClientId', minimal, (s) => { s.clients.push({ id: 'c2', clientId: 'c1' }); }, []],
  ['empty clientId', minimal, (s) => { s.clients[0].clientId = ''; }, ['clients[0].clientId: must not be empty']],
  ['clientId with U+0000', minimal, (s) => { s.clients[0].clientId = 'a\u0000b'; },
    ['clients[0].clientId: must not contain the character U+0000 [MQTT-1.5.3-2]']],
  ['unknown protocol', minimal, (s) => { s.clients[0].protocol = '5'; }, ['clients[0].protocol: must be one of "3.1.1", "5.0"']],
  ['unknown library', minimal, (s) => { s.clients[0].library = 'paho'; },
    ['clients[0].library: must be one of "mqttjs-5", "paho-python" (did you mean "paho-python"?)']],
  ['cleanStart as a number', minimal, (s) => { s.clients[0].cleanStart = 1; }, ['clients[0].cleanStart: must be true or false']],
  ['Session Expiry with 3.1.1 (default protocol)', minimal, (s) => { s.clients[0].sessionExpirySeconds = 60; },
    ['clients[0].sessionExpirySeconds: Session Expiry Interval exists only in MQTT 5.0, and this client uses protocol "3.1.1": set "protocol": "5.0", or use "cleanStart": false for a 3.1.1 session that lasts until the next clean connect']],
  ['Session Expiry 0 with 3.1.1 is fine', minimal, (s) => { s.clients[0].sessionExpirySeconds = 0; }, []],
  ['Will Delay with explicit 3.1.1', minimal, (s) => { s.clients[0].protocol = '3.1.1'; s.clients[0].will = { topic: 't', payload: 'p', delaySeconds: 5 }; },
    ['clients[0].will.delaySeconds: Will Delay Interval exists only in MQTT 5.0, and this client uses protocol "3.1.1": a 3.1.1 Will is published as soon as the connection is lost; set "protocol": "5.0" to delay it']],
  ['Will Delay with 5.0 is fine', minimal, (s) => { s.clients[0].protocol = '5.0'; s.clients[0].will = { topic: 't', payload: 'p', delaySeconds: 5 }; }, []],
  ['Will topic with a wildcard', minimal, (s) => { s.clients[0].will = { topic: 'status/#', payload: 'p' }; },
    ['clients[0].will.topic: must not contain the wildcards "+" or "#": they are allowed only in subscriptions [MQTT-3.3.2-2]']],
  ['Will without topic and payload, bad qos', minimal, (s) => { s.clients[0].will = { qos: 3 }; },
    ['clients[0].will.topic: is required (a string)', 'clients[0].will.payload: is required (a string)', 'clients[0].will.qos: must be an integer from 0 to 2']],
  ['empty Will topic', minimal, (s) => { s.clients[0].will = { topic: '', payload: '' }; },
    ['clients[0].will.topic: must not be empty: a topic has at least one character [MQTT-4.7.3-1]']],
  ['Will retain as a string', minimal, (s) => { s.clients[0].will = { topic: 't', payload: 'p', retain: 'yes' }; },
    ['clients[0].will.retain: must be true or false']],
  ['subscription filter with # in the middle', minimal, (s) => { s.clients[0].subscriptions = [{ topic: 'a/#/b', qos: 1 }]; },
    ['clients[0].subscriptions[0].topic: may use "#" only as the whole last level, as in "a/#" [MQTT-4.7.1-2]']],
  ['subscription filter with + inside a level', minimal, (s) => { s.clients[0].subscriptions = [{ topic: 'a/b+' }]; },
    ['clients[0].subscriptions[0].topic: may use "+" only as a whole level, as in "a/+/c" [MQTT-4.7.1-3]']],
  ['shared subscription (not modelled)', minimal, (s) => { s.clients[0].subscriptions = [{ topic: '$share/g/a' }, { topic: '$SYS/#' }]; },
    ['clients[0].subscriptions[0].topic: is a shared subscription ("$share/…", MQTT 5.0 §4.8.2), which the simulator does not model; subscribe to the topic filter itself']],
  ['valid filters', minimal, (s) => { s.clients[0].subscriptions = [{ topic: '#' }, { topic: '+/+' }, { topic: 'a/+/#' }, { topic: '/' }]; }, []],
  ['subscription qos 3', minimal, (s) => { s.clients[0].subscriptions = [{ topic: 'a', qos: 3 }]; },
    ['clients[0].subscriptions[0].qos: must be an integer from 0 to 2']],
  ['publish without everyMs, wildcard topic', minimal, (s) => { s.clients[0].publish = [{ topic: 'a/+', payload: 'x' }]; },
    ['clients[0].publish[0].topic: must not contain the wildcards "+" or "#": they are allowed only in subscriptions [MQTT-3.3.2-2]',
      'clients[0].publish[0].everyMs: is required (an integer from 1 to 604800000, in milliseconds)']],
  ['publish entry with an unknown key', minimal, (s) => { s.clients[0].publish = [{ topic: 'a', payload: 'x', everyMs: 10, every: 5 }]; },
    ['clients[0].publish[0].every: unknown key (did you mean "everyMs"?)']],
  ['connectAtMs after the end', minimal, (s) => { s.clients[0].connectAtMs = 60001; },
    ['clients[0].connectAtMs: is after durationMs (60000), so the client would never connect']],
  ['reconnect true', minimal, (s) => { s.clients[0].reconnect = true; },
    ['clients[0].reconnect: must be false (never reconnect) or an object like {"delayMs": 1000, "backoff": 2, "maxDelayMs": 60000, "jitter": 0.5}']],
  ['reconnect cap below the first wait, backoff below 1, jitter above 1', minimal,
    (s) => { s.clients[0].reconnect = { delayMs: 5000, maxDelayMs: 1000, backoff: 0.5, jitter: 2 }; },
    ['clients[0].reconnect.backoff: must be a number from 1 to 10',
      'clients[0].reconnect.jitter: must be a number from 0 to 1',
      'clients[0].reconnect.maxDelayMs: is 1000, below delayMs (5000): the cap must be at least the first wait']],
  ['reconnect with an unknown key', minimal, (s) => { s.clients[0].reconnect = { delayMs: 1000, jiter: 0.5 }; },
    ['clients[0].reconnect.jiter: unknown key (did you mean "jitter"?)']],
  ['pause on a client', minimal, (s) => { s.actions = [{ atMs: 1, do: 'pause', node: 'c1' }]; },
    ['actions[0].node: "c1" is a client, but only the broker\'s process can "pause" (name "broker")']],
  ['listen sysctls out of range', minimal, (s) => { s.broker.tcp = { somaxconn: -1, syncookies: 3, abortOnOverflow: 1 }; },
    ['broker.tcp.somaxconn: must be an integer from 0 to 2147483647',
      'broker.tcp.syncookies: must be an integer from 0 to 2',
      'broker.tcp.abortOnOverflow: must be true or false']],
  ['reconnect without delay', minimal, (s) => { s.clients[0].reconnect = {}; },
    ['clients[0].reconnect.delayMs: is required (an integer from 1 to 86400000, in milliseconds)']],
  ['reconnect false is fine', minimal, (s) => { s.clients[0].reconnect = false; }, []],
  // links
  ['link to an unknown node, with a suggestion', minimal, (s) => { s.links = [{ between: ['c', 'broker'] }]; },
    ['links[0].between[0]: no node has the id "c" (did you mean "c1"?)']],
  ['link between two clients', minimal, (s) => { s.clients.push({ id: 'c2' }); s.links = [{ between: ['c1', 'c2'] }]; },
    ['links[0].between: a link joins one client and the broker "broker"; ["c1","c2"] does not']],
  ['link of one element', minimal, (s) => { s.links = [{ between: ['c1'] }]; },
    ['links[0].between: must be a pair of node ids, like ["sensor", "broker"]']],
  ['link without between', minimal, (s) => { s.links = [{ latencyMs: 5 }]; },
    ['links[0].between: is required (a pair of node ids: a client and the broker)']],
  ['the same link twice, in both orders', minimal, (s) => { s.links = [{ between: ['c1', 'broker'] }, { between: ['broker', 'c1'] }]; },
    ['links[1].between: the link of "c1" is already given by links[0]; give each link once']],
  ['loss above 1', minimal, (s) => { s.links = [{ between: ['c1', 'broker'], loss: 1.5 }]; }, ['links[0].loss: must be a number from 0 to 1']],
  ['negative latency, fractional jitter, zero NAT timeout', minimal, (s) => { s.links = [{ between: ['c1', 'broker'], latencyMs: -1, jitterMs: 0.5, natIdleTimeoutMs: 0 }]; },
    ['links[0].latencyMs: must be an integer from 0 to 3600000', 'links[0].jitterMs: must be an integer from 0 to 3600000',
      'links[0].natIdleTimeoutMs: must be an integer from 1 to 604800000']],
  // actions
  ['action after the end', minimal, (s) => { s.actions = [{ atMs: 60001, do: 'crash', node: 'broker' }]; },
    ['actions[0].atMs: is after durationMs (60000), so the action would never happen']],
  ['action without atMs and do', minimal, (s) => { s.actions = [{ node: 'c1' }]; },
    ['actions[0].atMs: is required (an integer from 0 to 604800000, in milliseconds)',
      'actions[0].do: is required (one of "power-off", "power-on", "crash", "restart", "stop", "connect", "disconnect", "cut", "heal", "set-link", "publish", "nat-flush", "pause", "resume")']],
  ['unknown do, with a suggestion', minimal, (s) => { s.actions = [{ atMs: 1, do: 'poweroff', node: 'c1' }]; },
    ['actions[0].do: must be one of "power-off", "power-on", "crash", "restart", "stop", "connect", "disconnect", "cut", "heal", "set-link", "publish", "nat-flush", "pause", "resume" (did you mean "power-off"?)']],
  ['action on an unknown node', minimal, (s) => { s.actions = [{ atMs: 1, do: 'crash', node: 'brokr' }]; },
    ['actions[0].node: no node has the id "brokr" (did you mean "broker"?)']],
  ['disconnect on the broker', minimal, (s) => { s.actions = [{ atMs: 1, do: 'disconnect', node: 'broker' }]; },
    ['actions[0].node: "broker" is the broker, but "disconnect" is done by a client']],
  ['connect on the broker', minimal, (s) => { s.actions = [{ atMs: 1, do: 'connect', node: 'broker' }]; },
    ['actions[0].node: "broker" is the broker, but "connect" is done by a client']],
  ['publish on the broker', minimal, (s) => { s.actions = [{ atMs: 1, do: 'publish', node: 'broker', topic: 't', payload: 'p', qos: 0 }]; },
    ['actions[0].node: "broker" is the broker, but "publish" is done by a client']],
  ['power-off without node', minimal, (s) => { s.actions = [{ atMs: 1, do: 'power-off' }]; },
    ['actions[0].node: is required (a non-empty string)']],
  ['a node field on cut', minimal, (s) => { s.actions = [{ atMs: 1, do: 'cut', node: 'c1', link: ['c1', 'broker'] }]; },
    ['actions[0].node: is not a field of "cut" (it takes "atMs", "do", "link", "direction")']],
  ['an unknown field on an action', minimal, (s) => { s.actions = [{ atMs: 1, do: 'crash', node: 'c1', when: 5 }]; },
    ['actions[0].when: unknown key']],
  ['reasonCode above 255', minimal, (s) => { s.clients[0].protocol = '5.0'; s.actions = [{ atMs: 1, do: 'disconnect', node: 'c1', reasonCode: 256 }]; },
    ['actions[0].reasonCode: must be an integer from 0 to 255']],
  ['reasonCode 0x04 with 3.1.1', minimal, (s) => { s.actions = [{ atMs: 1, do: 'disconnect', node: 'c1', reasonCode: 4 }]; },
    ['actions[0].reasonCode: an MQTT 3.1.1 DISCONNECT has no reason code, and "c1" uses protocol "3.1.1"; set its "protocol" to "5.0"']],
  ['reasonCode 0 with 3.1.1 is fine', minimal, (s) => { s.actions = [{ atMs: 1, do: 'disconnect', node: 'c1', reasonCode: 0 }]; }, []],
  ['cut of a link that is not one', minimal, (s) => { s.actions = [{ atMs: 1, do: 'cut', link: ['broker', 'broker'] }]; },
    ['actions[0].link: a link joins one client and the broker "broker"; ["broker","broker"] does not']],
  ['cut with a bad direction', minimal, (s) => { s.actions = [{ atMs: 1, do: 'cut', link: ['c1', 'broker'], direction: 'a-b' }]; },
    ['actions[0].direction: must be one of "both", "a->b", "b->a" (did you mean "a->b"?)']],
  ['heal without link', minimal, (s) => { s.actions = [{ atMs: 1, do: 'heal' }]; },
    ['actions[0].link: is required (a pair of node ids: a client and the broker)']],
  ['set-link with nothing to set', minimal, (s) => { s.actions = [{ atMs: 1, do: 'set-link', link: ['c1', 'broker'] }]; },
    ['actions[0]: "set-link" needs at least one of "latencyMs", "latencyUs", "jitterMs", "jitterUs", "loss"']],
  ['set-link with loss 2', minimal, (s) => { s.actions = [{ atMs: 1, do: 'set-link', link: ['c1', 'broker'], loss: 2 }]; },
    ['actions[0].loss: must be a number from 0 to 1']],
  ['publish action without qos, wildcard topic', minimal, (s) => { s.actions = [{ atMs: 1, do: 'publish', node: 'c1', topic: '#', payload: 'p' }]; },
    ['actions[0].topic: must not contain the wildcards "+" or "#": they are allowed only in subscriptions [MQTT-3.3.2-2]',
      'actions[0].qos: is required (an integer from 0 to 2)']],
  // expect
  ['expect with an unknown kind', minimal, (s) => { s.expect = [{ kind: 'will.publish' }]; },
    ['expect[0].kind: is not a trace event kind (did you mean "will.published"?), so it could never match']],
  ['expect with count and none', minimal, (s) => { s.expect = [{ kind: 'action', count: 1, none: true }]; },
    ['expect[0]: give at most one of "count", "atLeast", "none" (found "count", "none")']],
  ['expect with count and atLeast', minimal, (s) => { s.expect = [{ kind: 'action', count: 1, atLeast: 1 }]; },
    ['expect[0]: give at most one of "count", "atLeast", "none" (found "count", "atLeast")']],
  ['expect none false', minimal, (s) => { s.expect = [{ kind: 'action', none: false }]; },
    ['expect[0].none: must be true (leave it out otherwise)']],
  ['expect betweenMs reversed', minimal, (s) => { s.expect = [{ kind: 'action', betweenMs: [5, 1] }]; },
    ['expect[0].betweenMs: lo (5) must not be greater than hi (1)']],
  ['expect betweenMs not a pair', minimal, (s) => { s.expect = [{ kind: 'action', betweenMs: [5] }]; },
    ['expect[0].betweenMs: must be a pair [lo, hi] of integer milliseconds']],
  ['expect betweenMs with a fraction', minimal, (s) => { s.expect = [{ kind: 'action', betweenMs: [0, 1.5] }]; },
    ['expect[0].betweenMs[1]: must be an integer from 0 to 604800000 (milliseconds)']],
  ['expect where on a list field', minimal, (s) => { s.expect = [{ kind: 'action', where: { link: ['c1', 'broker'] } }]; },
    ['expect[0].where.link: is a list in action events, and where compares single values, so it could never match']],
  ['expect where with an array value', minimal, (s) => { s.expect = [{ kind: 'action', where: { node: ['c1'] } }]; },
    ['expect[0].where.node: must be a string, a number, true, false or null (events are matched by equal field values)']],
  ['expect where not an object', minimal, (s) => { s.expect = [{ kind: 'action', where: 'c1' }]; },
    ['expect[0].where: must be an object of field values, like {"clientId": "sensor-1"}']],
  ['expect negative count', minimal, (s) => { s.expect = [{ kind: 'action', count: -1 }]; },
    ['expect[0].count: must be an integer from 0 to 1000000000']],
  // sizes
  ['too many expect entries', minimal, (s) => { s.expect = Array.from({ length: 1001 }, () => ({ kind: 'action' })); },
    ['expect: must have at most 1000 entries']],
  ['too many subscriptions', minimal, (s) => { s.clients[0].subscriptions = Array.from({ length: 101 }, () => ({ topic: 'a' })); },
    ['clients[0].subscriptions: must have at most 100 entries']],
];

describe('parseScenario reports each problem with its JSON path', () => {
  it.each(cases)('%s', (_, base, change, expected) => {
    expect(lines(mutated(base, change))).toEqual(expected);
  });

  it('reports every problem of a file, not just the first', () => {
    const got = lines(mutated(minimal, (s) => {
      s.seed = 'x'; s.clients[0].keepAliveSeconds = 1e9; s.clients[0].qos = 1; s.actions = [{ atMs: -1, do: 'crash', node: 'c1' }];
    }));
    expect(got).toEqual([
      'seed: must be an integer from 0 to 4294967295',
      'clients[0].qos: unknown key',
      'clients[0].keepAliveSeconds: must be an integer from 0 to 65535',
      'actions[0].atMs: must be an integer from 0 to 604800000 (milliseconds)',
    ]);
  });

  it.each([
    ['null', null], ['an array', []], ['a string', 'scenario'], ['a number', 1],
  ])('refuses %s as a whole', (_, value) => {
    expect(lines(value)).toEqual(['(root): must be a JSON object such as {"format": "halfopen/scenario", "version": 1, ...}']);
  });
});

describe('parseScenarioText', () => {
  it('parses a valid text, with or without a byte order mark', () => {
    const text = JSON.stringify(minimal());
    expect(parseScenarioText(text).ok).toBe(true);
    expect(parseScenarioText('\uFEFF' + text).ok).toBe(true);
  });

  it.each([
    ['{\n  "a": 1,\n  "b": [1, 2,]\n}', 'invalid JSON at line 3, column 14: unexpected "]" (trailing commas are not allowed)'],
    ['{\n  "a": 1,\n}', 'invalid JSON at line 3, column 1: unexpected "}" (trailing commas are not allowed)'],
    ['{"a" 1}', 'invalid JSON at line 1, column 6: expected ":" after the property name, found "1"'],
    ['{"a": 1 "b": 2}', 'invalid JSON at line 1, column 9: expected "," or "}", found "\\""'],
    ["{'a': 1}", 'invalid JSON at line 1, column 2: expected a property name in double quotes, found "\'"'],
    ['{"a": tru}', 'invalid JSON at line 1, column 7: unexpected word "tru" (strings need double quotes)'],
    ['{"a": "x', 'invalid JSON at line 1, column 7: unterminated string (missing closing ")'],
    ['{"a": [1, 2', 'invalid JSON at line 1, column 12: unexpected end of file (something is not closed)'],
    ['', 'invalid JSON at line 1, column 1: the file is empty'],
    ['{} {}', 'invalid JSON at line 1, column 4: unexpected "{" after the end of the JSON value'],
    ['{"a": 01}', 'invalid JSON at line 1, column 8: expected "," or "}", found "1"'],
    ['{"a": "\\x"}', 'invalid JSON at line 1, column 8: invalid escape sequence in string'],
  ])('reports invalid JSON %j with line and column', (text, message) => {
    const r = parseScenarioText(text);
    expect(r.ok ? [] : r.problems).toEqual([{ path: '(root)', message }]);
  });

  it('refuses a key given twice in one object (JSON.parse would silently keep the last), with its path and place', () => {
    const text = [
      '{"format": "halfopen/scenario", "version": 1, "name": "d {\\"durationMs\\": 1}", "durationMs": 20000,',
      ' "broker": {"id": "broker"},',
      ' "clients": [{"id": "a", "publish": [{"topic": "t", "payload": "x", "everyMs": 1000}]},',
      '   {"id": "b", "keepAliveSeconds": 5, "\\u006beepAliveSeconds": 6}],',
      ' "durationMs": 30000}',
    ].join('\n');
    const r = parseScenarioText(text);
    expect(r.ok ? [] : r.problems).toEqual([
      { path: 'clients[1].keepAliveSeconds', message: 'given twice (again at line 4, column 39); JSON keeps only the last one, so remove the other' },
      { path: 'durationMs', message: 'given twice (again at line 5, column 2); JSON keeps only the last one, so remove the other' },
    ]);
    // The same key in different objects, and keys inside strings, are fine.
    const ok = JSON.stringify({ ...minimal(), name: '"id": {"id": 1}', clients: [{ id: 'a' }, { id: 'b' }] });
    expect(parseScenarioText(ok).ok).toBe(true);
  });

  it('survives deeply nested input without overflowing the stack', () => {
    const deep = '['.repeat(200000) + ']'.repeat(199999);
    const r = parseScenarioText(deep);
    expect(r.ok).toBe(false);
    expect(r.ok ? '' : r.problems[0]!.message).toMatch(/^invalid JSON at line 1, column 400000: unexpected end of file/);
  });
});
