/**
 * Validation of the fleet-failure extensions: a link's `proxyIdleTimeoutMs` / `proxyClose`, a
 * client's `pingIntervalMs`, the action `nat-flush`. Each bad value is refused with its JSON path
 * by the validator, and the JSON Schema (ajv, draft 2020-12) agrees where a schema can say it;
 * a file without them resolves exactly as before (no new keys).
 */
import { describe, expect, it } from 'vitest';
import { Ajv2020 } from 'ajv/dist/2020.js';
import { parseScenario } from '../../sim/scenario/parse.ts';
import { resolveScenario } from '../../sim/scenario/resolve.ts';
import { scenarioJsonSchema } from '../../sim/scenario/json-schema.ts';

type Json = Record<string, any>;
const ajv = new Ajv2020({ allErrors: true, strict: true, strictRequired: false, allowUnionTypes: true });
const schemaAccepts = ajv.compile(scenarioJsonSchema());

const base = (): Json => ({
  format: 'halfopen/scenario', version: 1, name: 'x', durationMs: 60_000,
  broker: { id: 'broker' },
  clients: [{ id: 'c', keepAliveSeconds: 10 }, { id: 'dev', count: 3 }],
  links: [{ between: ['c', 'broker'] }, { between: ['dev', 'broker'], natIdleTimeoutMs: 30_000 }],
});

function lines(s: Json): string[] {
  const r = parseScenario(s);
  return r.ok ? [] : r.problems.map((p) => `${p.path}: ${p.message}`);
}
const edit = (change: (s: Json) => void): Json => { const s = base(); change(s); return s; };

describe('fleet-failure keys: accepted', () => {
  it.each<[string, (s: Json) => void]>([
    ['a proxy with its defaults', (s) => { s.links[0].proxyIdleTimeoutMs = 60_000; }],
    ['a proxy closing with RST', (s) => { s.links[0].proxyIdleTimeoutMs = 1; s.links[0].proxyClose = 'rst'; }],
    ['pingIntervalMs at its edges', (s) => { s.clients[0].pingIntervalMs = 1; s.clients[1].pingIntervalMs = 604_800_000; }],
    ['pingIntervalMs false', (s) => { s.clients[0].pingIntervalMs = false; }],
    ['nat-flush on a group\'s link, either order', (s) => {
      s.actions = [{ atMs: 1000, do: 'nat-flush', link: ['dev', 'broker'] }, { atMs: 2000, do: 'nat-flush', link: ['broker', 'dev'] }];
    }],
    ['nat-flush on one member\'s link', (s) => { s.actions = [{ atMs: 1000, do: 'nat-flush', link: ['dev-2', 'broker'] }]; }],
  ])('%s', (_name, change) => {
    const s = edit(change);
    expect(lines(s)).toEqual([]);
    expect(schemaAccepts(s), JSON.stringify(schemaAccepts.errors)).toBe(true);
  });

  it('resolves a proxy link with proxyClose "fin" by default, a group\'s nat-flush to one per member', () => {
    const r = parseScenario(edit((s) => {
      s.links[0].proxyIdleTimeoutMs = 45_000;
      s.clients[0].pingIntervalMs = 20_000;
      s.actions = [{ atMs: 1000, do: 'nat-flush', link: ['dev', 'broker'] }];
    }));
    if (!r.ok) throw new Error(JSON.stringify(r.problems));
    const x = resolveScenario(r.scenario);
    expect(x.links[0]).toMatchObject({ proxyIdleTimeoutMs: 45_000, proxyClose: 'fin', natIdleTimeoutMs: null });
    expect(x.clients[0]!.pingIntervalMs).toBe(20_000);
    expect(x.actions.map((a) => 'link' in a ? a.link : null)).toEqual([['dev-1', 'broker'], ['dev-2', 'broker'], ['dev-3', 'broker']]);
  });

  it('a file without them resolves with no new keys', () => {
    const r = parseScenario(base());
    if (!r.ok) throw new Error('base');
    const x = resolveScenario(r.scenario);
    expect(Object.keys(x.links[0]!)).toEqual(['between', 'latencyMs', 'jitterMs', 'loss', 'natIdleTimeoutMs']);
    expect('pingIntervalMs' in x.clients[0]!).toBe(false);
  });
});

describe('fleet-failure keys: refused with their path', () => {
  it.each<[string, (s: Json) => void, string[], boolean]>([
    // name, change, validator lines, whether the JSON Schema can say it too
    ['proxy timeout 0', (s) => { s.links[0].proxyIdleTimeoutMs = 0; },
      ['links[0].proxyIdleTimeoutMs: must be an integer from 1 to 604800000'], true],
    ['proxy timeout fractional', (s) => { s.links[0].proxyIdleTimeoutMs = 1.5; },
      ['links[0].proxyIdleTimeoutMs: must be an integer from 1 to 604800000'], true],
    ['proxyClose unknown', (s) => { s.links[0].proxyIdleTimeoutMs = 1000; s.links[0].proxyClose = 'linger'; },
      ['links[0].proxyClose: must be one of "fin", "rst", "rst-to-broker"'], true],
    ['proxyClose without a timeout', (s) => { s.links[0].proxyClose = 'rst'; },
      ['links[0].proxyClose: says how a proxy closes idle flows, and this link has no "proxyIdleTimeoutMs"; give one, or leave proxyClose out'], true],
    ['a NAT and a proxy on one link', (s) => { s.links[1].proxyIdleTimeoutMs = 1000; },
      ['links[1].proxyIdleTimeoutMs: is given together with "natIdleTimeoutMs"; a link has at most one middlebox in this model (a NAT that forgets silently, or a proxy that closes), so give one'], true],
    ['pingIntervalMs 0', (s) => { s.clients[0].pingIntervalMs = 0; },
      ['clients[0].pingIntervalMs: must be an integer from 1 to 604800000 (milliseconds, or false for a device that never sends PINGREQ)'], true],
    ['pingIntervalMs true', (s) => { s.clients[0].pingIntervalMs = true; },
      ['clients[0].pingIntervalMs: must be an integer from 1 to 604800000 (milliseconds, or false for a device that never sends PINGREQ)'], true],
    ['nat-flush on a link with no NAT', (s) => { s.actions = [{ atMs: 1000, do: 'nat-flush', link: ['c', 'broker'] }]; },
      ['actions[0].link: the link of "c" has no NAT to flush; give that link "natIdleTimeoutMs" in "links"'], false],
    ['nat-flush with a node', (s) => { s.actions = [{ atMs: 1000, do: 'nat-flush', link: ['dev', 'broker'], node: 'dev' }]; },
      ['actions[0].node: is not a field of "nat-flush" (it takes "atMs", "do", "link")'], true],
    ['nat-flush without a link', (s) => { s.actions = [{ atMs: 1000, do: 'nat-flush' }]; },
      ['actions[0].link: is required (a pair of node ids: a client and the broker)'], true],
  ])('%s', (_name, change, expected, schemaToo) => {
    const s = edit(change);
    expect(lines(s)).toEqual(expected);
    if (schemaToo) expect(schemaAccepts(s)).toBe(false);
  });
});
