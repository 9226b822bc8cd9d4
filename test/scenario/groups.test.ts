/**
 * Client groups (CONTRACT.md, "Version 1 extensions"): `count`, numbered ids and ClientIds,
 * `connectAtMs` as a window spread by the seeded RNG, links and actions naming the group.
 */
import { describe, expect, it } from 'vitest';
import { parseScenario } from '../../sim/scenario/parse.ts';
import { resolveScenario } from '../../sim/scenario/resolve.ts';
import { runScenario } from '../../sim/run.ts';
import type { ScenarioV1 } from '../../sim/scenario/types.ts';

function file(over: Record<string, unknown>): Record<string, unknown> {
  return { format: 'halfopen/scenario', version: 1, name: 'groups', durationMs: 20_000, broker: { id: 'broker' }, ...over };
}

function ok(json: Record<string, unknown>): ScenarioV1 {
  const r = parseScenario(json);
  if (!r.ok) throw new Error(JSON.stringify(r.problems));
  return r.scenario;
}

function problems(json: Record<string, unknown>): string[] {
  const r = parseScenario(json);
  return r.ok ? [] : r.problems.map((p) => `${p.path}: ${p.message}`);
}

describe('client groups: validation', () => {
  it('accepts count and keeps it in the parsed file', () => {
    const s = ok(file({ clients: [{ id: 'dev', count: 12 }] }));
    expect(s.clients[0]?.count).toBe(12);
  });

  it('refuses count out of range, with its path', () => {
    expect(problems(file({ clients: [{ id: 'dev', count: 0 }] }))).toEqual(['clients[0].count: must be an integer from 1 to 100000']);
    expect(problems(file({ clients: [{ id: 'dev', count: 1.5 }] }))[0]).toMatch(/^clients\[0\]\.count: /);
  });

  it('counts every member against the client limit', () => {
    const p = problems(file({ clients: [{ id: 'a', count: 60_000 }, { id: 'b', count: 40_001 }] }));
    expect(p).toEqual(['clients[1]: the clients (counting every member of a group) are more than 100,000, the limit']);
    expect(problems(file({ clients: [{ id: 'a', count: 60_000 }, { id: 'b', count: 40_000 }] }))).toEqual([]);
  });

  it('refuses a member id that another node has', () => {
    const p = problems(file({ clients: [{ id: 'dev-02' }, { id: 'dev', count: 10 }] }));
    expect(p).toEqual(['clients[1].id: its member "dev-02" has the id of clients[0]; node ids must be unique']);
    const q = problems(file({ clients: [{ id: 'dev', count: 10 }, { id: 'dev-10' }] }));
    expect(q[0]).toMatch(/^clients\[1\]\.id: "dev-10" is already used/);
  });

  it('refuses a group id too long for its member names', () => {
    const p = problems(file({ clients: [{ id: 'x'.repeat(62), count: 100 }] }));
    expect(p[0]).toMatch(/^clients\[0\]\.id: .*at most 60$/);
  });

  it('accepts connectAtMs as a window only for a group, inside the run', () => {
    expect(problems(file({ clients: [{ id: 'dev', count: 3, connectAtMs: { fromMs: 100, toMs: 5000 } }] }))).toEqual([]);
    expect(problems(file({ clients: [{ id: 'dev', connectAtMs: { fromMs: 100, toMs: 5000 } }] }))[0])
      .toMatch(/^clients\[0\]\.connectAtMs: a window .* give "count"/);
    expect(problems(file({ clients: [{ id: 'dev', count: 3, connectAtMs: { fromMs: 500, toMs: 100 } }] })))
      .toEqual(['clients[0].connectAtMs.toMs: must not be before fromMs (500)']);
    expect(problems(file({ clients: [{ id: 'dev', count: 3, connectAtMs: { fromMs: 0, toMs: 30_000 } }] }))[0])
      .toMatch(/^clients\[0\]\.connectAtMs\.toMs: is after durationMs/);
    expect(problems(file({ clients: [{ id: 'dev', count: 3, connectAtMs: { fromMs: 0, to: 1 } }] }))[0])
      .toMatch(/^clients\[0\]\.connectAtMs\.to: /);
  });

  it('refuses a second link for a member of a group that has one', () => {
    const p = problems(file({
      clients: [{ id: 'dev', count: 3 }],
      links: [{ between: ['dev', 'broker'], latencyMs: 5 }, { between: ['dev-2', 'broker'], latencyMs: 50 }],
    }));
    expect(p).toEqual(['links[1].between: the link of "dev-2" is already given by links[0]; give each link once']);
  });
});

describe('client groups: expansion', () => {
  it('names members <id>-<n> and ClientIds <clientId>-<n>, zero-padded to the width of count', () => {
    const r = resolveScenario(ok(file({ clients: [{ id: 'dev', clientId: 'sensor', count: 100 }, { id: 'solo' }] })));
    expect(r.clients.length).toBe(101);
    expect(r.clients[0]).toMatchObject({ id: 'dev-001', clientId: 'sensor-001' });
    expect(r.clients[99]).toMatchObject({ id: 'dev-100', clientId: 'sensor-100' });
    expect(r.clients[100]).toMatchObject({ id: 'solo', clientId: 'solo' });
    const noClientId = resolveScenario(ok(file({ clients: [{ id: 'dev', count: 9 }] })));
    expect(noClientId.clients.map((c) => c.clientId)).toEqual(['dev-1', 'dev-2', 'dev-3', 'dev-4', 'dev-5', 'dev-6', 'dev-7', 'dev-8', 'dev-9']);
  });

  it('gives a link naming the group to every member, and a member its own link', () => {
    const r = resolveScenario(ok(file({
      clients: [{ id: 'dev', count: 3 }, { id: 'x', count: 2 }],
      links: [{ between: ['broker', 'dev'], latencyMs: 7 }, { between: ['x-2', 'broker'], latencyMs: 70 }],
    })));
    expect(r.links.map((l) => [l.between[0], l.latencyMs])).toEqual([['dev-1', 7], ['dev-2', 7], ['dev-3', 7], ['x-1', 10], ['x-2', 70]]);
  });

  it('applies an action naming the group to every member, in member order, ties kept in file order', () => {
    const r = resolveScenario(ok(file({
      clients: [{ id: 'dev', count: 3 }],
      actions: [
        { atMs: 5000, do: 'power-off', node: 'dev' },
        { atMs: 5000, do: 'crash', node: 'broker' },
        { atMs: 1000, do: 'cut', link: ['broker', 'dev'] },
        { atMs: 6000, do: 'power-on', node: 'dev-2' },
      ],
    })));
    expect(r.actions.map((a) => `${a.atMs} ${a.do} ${'node' in a ? a.node : a.link.join('|')}`)).toEqual([
      '1000 cut broker|dev-1', '1000 cut broker|dev-2', '1000 cut broker|dev-3',
      '5000 power-off dev-1', '5000 power-off dev-2', '5000 power-off dev-3', '5000 crash broker',
      '6000 power-on dev-2',
    ]);
  });

  it('spreads first connects over the window from the seeded RNG: same seed same times, another seed others', () => {
    const s = ok(file({ clients: [{ id: 'dev', count: 50, connectAtMs: { fromMs: 1000, toMs: 9000 }, keepAliveSeconds: 0 }] }));
    const firstConnects = (seed: number): number[] => {
      const trace = runScenario(resolveScenario(s), { seed }).trace as unknown as { kind: string; node: string; packet?: string; tMs: number }[];
      const at = new Map<string, number>();
      for (const e of trace) if (e.kind === 'mqtt.send' && e.packet === 'CONNECT' && !at.has(e.node)) at.set(e.node, e.tMs);
      return [...at.entries()].sort((a, b) => a[0].localeCompare(b[0])).map(([, t]) => t);
    };
    const a = firstConnects(1);
    expect(a.length).toBe(50);
    expect(Math.min(...a)).toBeGreaterThanOrEqual(1000);
    expect(Math.max(...a)).toBeLessThanOrEqual(9100); // the window plus the handshake's round trip
    expect(new Set(a.map((t) => Math.floor(t / 1000))).size).toBeGreaterThan(5); // spread, not bunched
    expect(firstConnects(1)).toEqual(a);
    expect(firstConnects(2)).not.toEqual(a);
  });

  it('runs a plain scenario exactly as before (no window, no draw)', () => {
    const plain = resolveScenario(ok(file({ clients: [{ id: 'a', connectAtMs: 300 }] })));
    expect(plain.clients[0]).toMatchObject({ connectAtMs: 300, connectWindow: null });
  });
});
