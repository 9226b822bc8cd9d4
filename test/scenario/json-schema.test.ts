/**
 * The JSON Schema of scenario files (sim/scenario/json-schema.ts, shipped as
 * lib/scenario.schema.json) agrees with the validator (parse.ts): a real JSON Schema validator
 * (ajv, draft 2020-12) accepts every shipped scenario and refuses every file of a corpus of
 * invalid ones that the validator refuses for a reason a schema can state. Every shipped
 * scenario names the schema with `$schema`, which the validator accepts and ignores.
 */
import { describe, expect, it } from 'vitest';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Ajv2020 } from 'ajv/dist/2020.js';
import { scenarioJsonSchema } from '../../sim/scenario/json-schema.ts';
import { parseScenario, parseScenarioText } from '../../sim/index.ts';

const root = join(import.meta.dirname, '..', '..');
const scenarioDir = join(root, 'public', 'scenarios');
const files = readdirSync(scenarioDir).filter((f) => f.endsWith('.json') && f !== 'index.json').sort();
const ajv = new Ajv2020({ allErrors: true, strict: true, strictRequired: false, allowUnionTypes: true });
const check = ajv.compile(scenarioJsonSchema());

type Json = Record<string, unknown>;
const base = (): Json => ({
  $schema: '../../lib/scenario.schema.json',
  format: 'halfopen/scenario', version: 1, name: 'x', durationMs: 60_000,
  broker: { id: 'broker' },
  clients: [{ id: 'c', keepAliveSeconds: 10, will: { topic: 'w', payload: 'off' } }],
  links: [{ between: ['c', 'broker'], latencyMs: 10 }],
  actions: [{ atMs: 1000, do: 'cut', link: ['c', 'broker'] }],
  expect: [{ kind: 'will.published', count: 1 }],
});
/** A change to the valid base file that the validator refuses and a schema can describe. */
const INVALID: [string, (s: Json) => void][] = [
  ['no format', (s) => { delete s['format']; }],
  ['wrong format', (s) => { s['format'] = 'other'; }],
  ['unknown top-level key', (s) => { s['durationMS'] = 1; }],
  ['$schema not a string', (s) => { s['$schema'] = 7; }],
  ['empty name', (s) => { s['name'] = ''; }],
  ['duration 0', (s) => { s['durationMs'] = 0; }],
  ['duration fractional', (s) => { s['durationMs'] = 1.5; }],
  ['seed negative', (s) => { s['seed'] = -1; }],
  ['no broker', (s) => { delete s['broker']; }],
  ['broker profile unknown', (s) => { s['broker'] = { id: 'broker', profile: 'hivemq' }; }],
  ['broker id with a slash', (s) => { s['broker'] = { id: 'a/b' }; }],
  ['no clients', (s) => { delete s['clients']; }],
  ['keep-alive too large', (s) => { (s['clients'] as Json[])[0]!['keepAliveSeconds'] = 65_536; }],
  ['keep-alive as a string', (s) => { (s['clients'] as Json[])[0]!['keepAliveSeconds'] = '10'; }],
  ['unknown client key', (s) => { (s['clients'] as Json[])[0]!['keepalive'] = 10; }],
  ['client protocol unknown', (s) => { (s['clients'] as Json[])[0]!['protocol'] = '3.1'; }],
  ['client library unknown', (s) => { (s['clients'] as Json[])[0]!['library'] = 'paho-c'; }],
  ['will without payload', (s) => { (s['clients'] as Json[])[0]!['will'] = { topic: 'w' }; }],
  ['will qos 3', (s) => { (s['clients'] as Json[])[0]!['will'] = { topic: 'w', payload: 'p', qos: 3 }; }],
  ['reconnect true', (s) => { (s['clients'] as Json[])[0]!['reconnect'] = true; }],
  ['reconnect delay 0', (s) => { (s['clients'] as Json[])[0]!['reconnect'] = { delayMs: 0 }; }],
  ['tcp kernel unknown', (s) => { (s['clients'] as Json[])[0]!['tcp'] = { kernel: 'linux-5.10' }; }],
  ['tcp synRetries 0', (s) => { (s['clients'] as Json[])[0]!['tcp'] = { synRetries: 0 }; }],
  ['tcpKeepAlive true', (s) => { (s['clients'] as Json[])[0]!['tcpKeepAlive'] = true; }],
  ['publish without everyMs', (s) => { (s['clients'] as Json[])[0]!['publish'] = [{ topic: 't', payload: 'p' }]; }],
  ['link with both latency units', (s) => { s['links'] = [{ between: ['c', 'broker'], latencyMs: 1, latencyUs: 5 }]; }],
  ['link loss above 1', (s) => { s['links'] = [{ between: ['c', 'broker'], loss: 1.5 }]; }],
  ['link without between', (s) => { s['links'] = [{ latencyMs: 5 }]; }],
  ['link between three nodes', (s) => { s['links'] = [{ between: ['c', 'broker', 'x'] }]; }],
  ['action kind unknown', (s) => { s['actions'] = [{ atMs: 1, do: 'explode', node: 'c' }]; }],
  ['action without atMs', (s) => { s['actions'] = [{ do: 'crash', node: 'c' }]; }],
  ['action field of another kind', (s) => { s['actions'] = [{ atMs: 1, do: 'crash', node: 'c', direction: 'both' }]; }],
  ['cut without link', (s) => { s['actions'] = [{ atMs: 1, do: 'cut' }]; }],
  ['cut direction unknown', (s) => { s['actions'] = [{ atMs: 1, do: 'cut', link: ['c', 'broker'], direction: 'up' }]; }],
  ['set-link changing nothing', (s) => { s['actions'] = [{ atMs: 1, do: 'set-link', link: ['c', 'broker'] }]; }],
  ['publish action without qos', (s) => { s['actions'] = [{ atMs: 1, do: 'publish', node: 'c', topic: 't', payload: 'p' }]; }],
  ['expect kind unknown', (s) => { s['expect'] = [{ kind: 'will.publish' }]; }],
  ['expect count and none', (s) => { s['expect'] = [{ kind: 'will.published', count: 1, none: true }]; }],
  ['expect none false', (s) => { s['expect'] = [{ kind: 'will.published', none: false }]; }],
  ['expect betweenMs of one', (s) => { s['expect'] = [{ kind: 'will.published', betweenMs: [1] }]; }],
  ['expect where value an object', (s) => { s['expect'] = [{ kind: 'will.published', where: { clientId: {} } }]; }],
  ['not an object', (s) => { for (const k of Object.keys(s)) delete s[k]; }],
];

describe('the JSON Schema and the validator agree', () => {
  it('the schema is valid draft 2020-12 (ajv compiled it in strict mode; strictRequired is off: `not: { required }` names keys declared beside it)', () => {
    expect(typeof check).toBe('function');
  });

  it.each(files)('%s names the schema and both accept it', (file) => {
    const text = readFileSync(join(scenarioDir, file), 'utf8');
    const json = JSON.parse(text) as Json;
    expect(json['$schema']).toBe('../../lib/scenario.schema.json');
    expect(parseScenarioText(text).ok).toBe(true);
    expect(check(json), JSON.stringify(check.errors)).toBe(true);
  });

  it('both accept the base file of the invalid corpus', () => {
    expect(parseScenario(base())).toMatchObject({ ok: true });
    expect(check(base()), JSON.stringify(check.errors)).toBe(true);
  });

  it.each(INVALID)('both refuse: %s', (_name, change) => {
    const s = base();
    change(s);
    expect(parseScenario(s).ok).toBe(false);
    expect(check(s)).toBe(false);
  });

  it('`$schema` is optional and not kept in the parsed scenario', () => {
    const s = base();
    const parsed = parseScenario(s);
    expect(parsed.ok && '$schema' in parsed.scenario).toBe(false);
    delete s['$schema'];
    expect(parseScenario(s).ok).toBe(true);
    expect(check(s)).toBe(true);
  });
});
