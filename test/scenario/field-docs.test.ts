/**
 * The plain-words tables the editor draws its forms from (sim/scenario/field-docs.ts) and the
 * fault menu's hints (action-docs.ts) cover exactly what the validator accepts: every key of
 * its lists once, no key it refuses, each range the one the JSON Schema (generated from the
 * validator's tables) states, and every action kind a sentence.
 */
import { describe, expect, it } from 'vitest';
import {
  CLIENT_EXTRA_DOCS, hostTcpDocs, LINK_MIDDLEBOX_DOCS, PERSISTENCE_DOCS, RECONNECT_DOCS, TCP_KEEPALIVE_DOCS, ACTION_DOCS,
} from '../../sim/index.ts';
import type { FieldDoc } from '../../sim/index.ts';
import { CLIENT_KEYS, HOST_TCP_KEYS, LINK_KEYS, RECONNECT_KEYS, TCP_KEEPALIVE_KEYS } from '../../sim/scenario/parse.ts';
import { PERSISTENCE_KEYS } from '../../sim/scenario/parse-persistence.ts';
import { ACTION_KINDS } from '../../sim/scenario/parse-actions.ts';
import { scenarioJsonSchema } from '../../sim/scenario/json-schema.ts';

type S = Record<string, unknown>;
const schema = scenarioJsonSchema() as S;
const props = (o: unknown): S => ((o as S)['properties'] as S);
const objectOf = (o: unknown): S => { // the object branch of an `anyOf: [false, {...}]`
  const any = (o as S)['anyOf'] as S[] | undefined;
  return any === undefined ? o as S : any.find((b) => b['type'] === 'object') as S;
};


function rangeOf(s: S): { min?: number; max?: number } {
  const any = s['anyOf'] as S[] | undefined;
  const n = any === undefined ? s : any.find((b) => b['type'] === 'integer' || b['type'] === 'number') ?? s;
  return { min: n['minimum'] as number | undefined, max: n['maximum'] as number | undefined };
}

function agrees(docs: readonly FieldDoc[], keys: readonly string[], shape: S, exact = true): void {
  const names = docs.map((d) => d.key);
  expect(new Set(names).size).toBe(names.length);
  if (exact) expect([...names].sort()).toEqual([...keys].sort());
  else for (const k of names) expect(keys).toContain(k);
  for (const d of docs) {
    const s = shape[d.key] as S;
    expect(s, d.key).toBeDefined();
    expect(d.help.length, d.key).toBeGreaterThan(20);
    if (d.type === 'integer' || d.type === 'number') expect(rangeOf(s), d.key).toEqual({ min: d.min, max: d.max });
    if (d.type === 'enum') {
      // An integer the validator bounds (syncookies 0..2) is offered as its values.
      const values = s['enum'] === undefined
        ? Array.from({ length: (s['maximum'] as number) - (s['minimum'] as number) + 1 }, (_, i) => String((s['minimum'] as number) + i))
        : (s['enum'] as (string | number)[]).map(String);
      expect(values, d.key).toEqual([...(d.values ?? [])]);
    }
    if (d.type === 'boolean') expect(s['type'], d.key).toBe('boolean');
  }
}

describe('field docs agree with the validator', () => {
  const clients = ((schema['properties'] as S)['clients'] as S)['items'] as S;
  const cprops = props(clients);
  const broker = props((schema['properties'] as S)['broker']);
  const links = props(((schema['properties'] as S)['links'] as S)['items']);

  it('host TCP (both kernels), keepalive, reconnect, persistence', () => {
    agrees(hostTcpDocs('linux-6.1'), HOST_TCP_KEYS, props(broker['tcp']));
    agrees(hostTcpDocs('linux-6.12'), HOST_TCP_KEYS, props(cprops['tcp']));
    expect(hostTcpDocs('linux-6.12').find((d) => d.key === 'synLinearTimeouts')?.default).toBe('4');
    expect(hostTcpDocs('linux-6.1').find((d) => d.key === 'synLinearTimeouts')?.default).toBe('0');
    agrees(TCP_KEEPALIVE_DOCS, TCP_KEEPALIVE_KEYS, props(objectOf(broker['tcpKeepAlive'])));
    agrees(RECONNECT_DOCS, RECONNECT_KEYS, props(objectOf(cprops['reconnect'])));
    agrees(PERSISTENCE_DOCS, PERSISTENCE_KEYS, props(broker['persistence']));
    // The same words are the schema's descriptions (what an editor shows on hover).
    expect((props(broker['tcp'])['somaxconn'] as S)['description']).toBe(
      `${hostTcpDocs().find((d) => d.key === 'somaxconn')?.help} Default: 4096.`);
  });
  it('link middleboxes and client extras are keys the validator takes', () => {
    agrees(LINK_MIDDLEBOX_DOCS, LINK_KEYS, links, false);
    agrees(CLIENT_EXTRA_DOCS, CLIENT_KEYS, cprops, false);
  });
  it('every action kind has its plain sentence, and nothing else does', () => {
    expect(Object.keys(ACTION_DOCS).sort()).toEqual([...ACTION_KINDS].sort());
  });
});
