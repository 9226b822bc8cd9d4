// CONTRACT.md section 2 "Version 1 extensions": host TCP settings (`broker.tcp`,
// `clients[].tcp`) and sub-millisecond links (`latencyUs`, `jitterUs`), parsed with the ranges
// Linux accepts (net/ipv4/sysctl_net_ipv4.c) and resolved through sim/tcp/settings.ts.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseScenario } from '../../sim/scenario/parse.ts';
import { resolveScenario } from '../../sim/scenario/resolve.ts';
import type { ScenarioV1 } from '../../sim/scenario/types.ts';
import { runScenario } from '../../sim/run.ts';
import { DEFAULT_KERNEL, KERNEL_PROFILES } from '../../sim/tcp/settings.ts';
import type { KernelProfileName } from '../../sim/tcp/settings.ts';
import { minimal } from './fixtures.ts';

type Json = Record<string, any>;

function lines(input: unknown): string[] {
  const r = parseScenario(input);
  return r.ok ? [] : r.problems.map((p) => `${p.path}: ${p.message}`);
}

function mutated(change: (s: Json) => void): Json {
  const s = minimal() as Json;
  change(s);
  return s;
}

function resolved(s: unknown) {
  const r = parseScenario(s);
  if (!r.ok) throw new Error(JSON.stringify(r.problems));
  return resolveScenario(r.scenario);
}

const LINUX_6_1 = {
  kernel: 'linux-6.1', retries2: 15, synRetries: 6, synackRetries: 5, synLinearTimeouts: 0,
  orphanRetries: 0, userTimeoutMs: 0, lossProbes: true,
  somaxconn: 4096, maxSynBacklog: 2048, syncookies: 1, abortOnOverflow: false,
};

describe('host TCP settings: parse', () => {
  it('accepts every key at each edge of its range, on the broker and on a client', () => {
    const low = { kernel: 'linux-6.1', retries2: 0, synRetries: 1, synackRetries: 0, synLinearTimeouts: 0, orphanRetries: 0, userTimeoutMs: 0, lossProbes: false, somaxconn: 0, maxSynBacklog: 0, syncookies: 0, abortOnOverflow: false };
    const high = { kernel: 'linux-6.12', retries2: 255, synRetries: 127, synackRetries: 255, synLinearTimeouts: 127, orphanRetries: 255, userTimeoutMs: 2147483647, lossProbes: true, somaxconn: 2147483647, maxSynBacklog: 2147483647, syncookies: 2, abortOnOverflow: true };
    for (const [b, c] of [[low, high], [high, low]]) {
      const s = mutated((s) => { s.broker.tcp = { ...b }; s.clients[0].tcp = { ...c }; });
      const r = parseScenario(s);
      expect(r.ok ? [] : r.problems).toEqual([]);
      expect(r.ok && r.scenario.broker.tcp).toEqual(b);
      expect(r.ok && r.scenario.clients[0]!.tcp).toEqual(c);
    }
  });

  it('accepts an empty object and any single key', () => {
    expect(lines(mutated((s) => { s.broker.tcp = {}; s.clients[0].tcp = { retries2: 5 }; }))).toEqual([]);
  });

  it.each([
    ['retries2', -1, 'must be an integer from 0 to 255'],
    ['retries2', 256, 'must be an integer from 0 to 255'],
    ['retries2', 1.5, 'must be an integer from 0 to 255'],
    ['retries2', '8', 'must be an integer from 0 to 255'],
    ['synRetries', 0, 'must be an integer from 1 to 127'],
    ['synRetries', 128, 'must be an integer from 1 to 127'],
    ['synackRetries', -1, 'must be an integer from 0 to 255'],
    ['synackRetries', 256, 'must be an integer from 0 to 255'],
    ['synLinearTimeouts', -1, 'must be an integer from 0 to 127'],
    ['synLinearTimeouts', 128, 'must be an integer from 0 to 127'],
    ['orphanRetries', -1, 'must be an integer from 0 to 255'],
    ['orphanRetries', 256, 'must be an integer from 0 to 255'],
    ['userTimeoutMs', -1, 'must be an integer from 0 to 2147483647'],
    ['userTimeoutMs', 2147483648, 'must be an integer from 0 to 2147483647'],
    ['userTimeoutMs', null, 'must be an integer from 0 to 2147483647'],
    ['lossProbes', 1, 'must be true or false'],
    ['lossProbes', 'true', 'must be true or false'],
    ['kernel', 'linux-6.5', 'must be one of "linux-6.1", "linux-6.12"; for linux-6.5 use "linux-6.12" (tcp_syn_linear_timeouts exists from Linux 6.5)'],
    ['kernel', 'linux-5.15', 'must be one of "linux-6.1", "linux-6.12"; for linux-5.15 use "linux-6.1" (no tcp_syn_linear_timeouts before Linux 6.5)'],
    ['kernel', 'linux-6.4', 'must be one of "linux-6.1", "linux-6.12"; for linux-6.4 use "linux-6.1" (no tcp_syn_linear_timeouts before Linux 6.5)'],
    ['kernel', 'Linux-7.0', 'must be one of "linux-6.1", "linux-6.12"; for Linux-7.0 use "linux-6.12" (tcp_syn_linear_timeouts exists from Linux 6.5)'],
    ['kernel', 'linux', 'must be one of "linux-6.1", "linux-6.12" (did you mean "linux-6.1"?)'],
    ['kernel', 'Linux-6.12', 'must be one of "linux-6.1", "linux-6.12"; for Linux-6.12 use "linux-6.12" (tcp_syn_linear_timeouts exists from Linux 6.5)'],
    ['kernel', 'linux-6.1 ', 'must be one of "linux-6.1", "linux-6.12" (did you mean "linux-6.1"?)'],
    ['kernel', 612, 'must be one of "linux-6.1", "linux-6.12"'],
  ])('refuses %s = %j with its path, on a client and on the broker', (key, value, message) => {
    expect(lines(mutated((s) => { s.clients[0].tcp = { [key]: value }; }))).toEqual([`clients[0].tcp.${key}: ${message}`]);
    expect(lines(mutated((s) => { s.broker.tcp = { [key]: value }; }))).toEqual([`broker.tcp.${key}: ${message}`]);
  });

  it.each([
    ['retries', '"retries2"'],
    ['synRetry', '"synRetries"'],
    ['userTimeout', '"userTimeoutMs"'],
    ['lossprobes', '"lossProbes"'],
  ])('refuses the unknown key %s, suggesting %s', (key, meant) => {
    expect(lines(mutated((s) => { s.clients[0].tcp = { [key]: 1 }; }))).toEqual([`clients[0].tcp.${key}: unknown key (did you mean ${meant}?)`]);
  });

  it('refuses an unknown key with nothing close, and a tcp that is not an object', () => {
    expect(lines(mutated((s) => { s.broker.tcp = { congestion: 'bbr' }; }))).toEqual(['broker.tcp.congestion: unknown key']);
    for (const v of [true, null, [], 'linux-6.12']) {
      expect(lines(mutated((s) => { s.clients[0].tcp = v; }))).toEqual([
        'clients[0].tcp: must be an object like {"kernel": "linux-6.12", "retries2": 8}',
      ]);
    }
  });

  it('reports every bad key of one tcp object, and keeps tcpKeepAlive beside it', () => {
    expect(lines(mutated((s) => {
      s.clients[0].tcpKeepAlive = { idleSeconds: 10 };
      s.clients[0].tcp = { kernel: 'bsd', synRetries: 0, lossProbes: 'no' };
    }))).toEqual([
      'clients[0].tcp.kernel: must be one of "linux-6.1", "linux-6.12"',
      'clients[0].tcp.synRetries: must be an integer from 1 to 127',
      'clients[0].tcp.lossProbes: must be true or false',
    ]);
  });
});

describe('host TCP settings: resolve', () => {
  it('gives linux-6.1 (what version 1 files meant) to the broker and every client without tcp', () => {
    expect(DEFAULT_KERNEL).toBe('linux-6.1');
    const r = resolved(mutated((s) => { s.clients.push({ id: 'c2' }); }));
    expect(r.broker.tcp).toEqual(LINUX_6_1);
    expect(r.clients.map((c) => c.tcp)).toEqual([LINUX_6_1, LINUX_6_1]);
  });

  it.each(Object.keys(KERNEL_PROFILES) as KernelProfileName[])('fills the defaults of kernel %s', (kernel) => {
    const r = resolved(mutated((s) => { s.broker.tcp = { kernel }; s.clients[0].tcp = { kernel }; }));
    const expected = { kernel, ...KERNEL_PROFILES[kernel].defaults };
    expect(r.broker.tcp).toEqual(expected);
    expect(r.clients[0]!.tcp).toEqual(expected);
  });

  it('linux-6.12 has tcp_syn_linear_timeouts 4 and otherwise the same defaults as linux-6.1', () => {
    const r = resolved(mutated((s) => { s.clients[0].tcp = { kernel: 'linux-6.12' }; }));
    expect(r.clients[0]!.tcp).toEqual({ ...LINUX_6_1, kernel: 'linux-6.12', synLinearTimeouts: 4 });
    expect(r.broker.tcp).toEqual(LINUX_6_1);
  });

  it('overrides the profile key by key, per host', () => {
    const r = resolved(mutated((s) => {
      s.broker.tcp = { retries2: 5, lossProbes: false };
      s.clients[0].tcp = { kernel: 'linux-6.12', synLinearTimeouts: 0, userTimeoutMs: 20000 };
      s.clients.push({ id: 'c2', tcp: { synRetries: 2 } });
    }));
    expect(r.broker.tcp).toEqual({ ...LINUX_6_1, retries2: 5, lossProbes: false });
    expect(r.clients[0]!.tcp).toEqual({ ...LINUX_6_1, kernel: 'linux-6.12', synLinearTimeouts: 0, userTimeoutMs: 20000 });
    expect(r.clients[1]!.tcp).toEqual({ ...LINUX_6_1, synRetries: 2 });
  });

  it('gives each host its own object', () => {
    const r = resolved(mutated((s) => { s.clients.push({ id: 'c2' }); }));
    expect(r.clients[0]!.tcp).not.toBe(r.clients[1]!.tcp);
    expect(r.clients[0]!.tcp).not.toBe(r.broker.tcp);
  });
});

describe('sub-millisecond links: parse', () => {
  it('accepts latencyUs and jitterUs from 0 to an hour, on links and on set-link', () => {
    expect(lines(mutated((s) => {
      s.clients.push({ id: 'c2' });
      s.links = [
        { between: ['c1', 'broker'], latencyUs: 0, jitterUs: 3600000000 },
        { between: ['broker', 'c2'], latencyUs: 3600000000, jitterMs: 1 },
      ];
      s.actions = [
        { atMs: 1, do: 'set-link', link: ['c1', 'broker'], latencyUs: 50 },
        { atMs: 2, do: 'set-link', link: ['c1', 'broker'], jitterUs: 3600000000, latencyMs: 3 },
      ];
    }))).toEqual([]);
  });

  it.each([
    ['latencyUs', -1], ['latencyUs', 3600000001], ['latencyUs', 0.5], ['jitterUs', -1], ['jitterUs', 3600000001], ['jitterUs', '5'],
  ])('refuses %s = %j with its path', (key, value) => {
    const message = 'must be an integer from 0 to 3600000000';
    expect(lines(mutated((s) => { s.links = [{ between: ['c1', 'broker'], [key]: value }]; }))).toEqual([`links[0].${key}: ${message}`]);
    expect(lines(mutated((s) => { s.actions = [{ atMs: 1, do: 'set-link', link: ['c1', 'broker'], [key]: value }]; })))
      .toEqual([`actions[0].${key}: ${message}`]);
  });

  it('refuses both units for one quantity, naming both keys', () => {
    expect(lines(mutated((s) => { s.links = [{ between: ['c1', 'broker'], latencyMs: 1, latencyUs: 1000 }]; }))).toEqual([
      'links[0].latencyUs: is given together with "latencyMs" (links[0].latencyMs); give the latency in one unit only',
    ]);
    expect(lines(mutated((s) => { s.links = [{ between: ['c1', 'broker'], jitterMs: 0, jitterUs: 0, latencyUs: 5 }]; }))).toEqual([
      'links[0].jitterUs: is given together with "jitterMs" (links[0].jitterMs); give the jitter in one unit only',
    ]);
    expect(lines(mutated((s) => {
      s.actions = [{ atMs: 1, do: 'set-link', link: ['c1', 'broker'], latencyMs: 1, latencyUs: 1000, jitterMs: 1, jitterUs: 1000 }];
    }))).toEqual([
      'actions[0].latencyUs: is given together with "latencyMs" (actions[0].latencyMs); give the latency in one unit only',
      'actions[0].jitterUs: is given together with "jitterMs" (actions[0].jitterMs); give the jitter in one unit only',
    ]);
  });

  it('still reports a bad value beside the both-units problem', () => {
    expect(lines(mutated((s) => { s.links = [{ between: ['c1', 'broker'], latencyMs: -1, latencyUs: 5 }]; }))).toEqual([
      'links[0].latencyMs: must be an integer from 0 to 3600000',
      'links[0].latencyUs: is given together with "latencyMs" (links[0].latencyMs); give the latency in one unit only',
    ]);
  });

  it('refuses latencyUs on an action that is not set-link', () => {
    expect(lines(mutated((s) => { s.actions = [{ atMs: 1, do: 'cut', link: ['c1', 'broker'], latencyUs: 5 }]; }))).toEqual([
      'actions[0].latencyUs: is not a field of "cut" (it takes "atMs", "do", "link", "direction")',
    ]);
  });

  it('suggests latencyUs for a near miss', () => {
    expect(lines(mutated((s) => { s.links = [{ between: ['c1', 'broker'], latencyUS: 5 }]; }))[0])
      .toMatch(/^links\[0\]\.latencyUS: unknown key \(did you mean "latency(Us|Ms)"\?\)$/);
  });
});

describe('sub-millisecond links: resolve', () => {
  it('resolves latencyUs 50 to latencyMs 0.05 and jitterUs 1500 to jitterMs 1.5, adding no keys', () => {
    const r = resolved(mutated((s) => { s.links = [{ between: ['c1', 'broker'], latencyUs: 50, jitterUs: 1500 }]; }));
    expect(r.links).toEqual([{ between: ['c1', 'broker'], latencyMs: 0.05, jitterMs: 1.5, loss: 0, natIdleTimeoutMs: null }]);
  });

  it('keeps the defaults (10 ms, 0) for the quantity not given, whatever the unit of the other', () => {
    const r = resolved(mutated((s) => { s.links = [{ between: ['c1', 'broker'], jitterUs: 7 }]; }));
    expect(r.links[0]).toMatchObject({ latencyMs: 10, jitterMs: 0.007 });
  });

  it('round-trips through the network\'s Math.round(ms * 1000) to the same microseconds', () => {
    const samples = [0, 1, 7, 50, 999, 1001, 123_456, 999_999, 3_599_999_999, 3_600_000_000];
    for (let us = 0; us < 20_000; us++) samples.push(us);
    for (const us of samples) expect(Math.round((us / 1000) * 1000)).toBe(us);
  });

  it('turns a set-link latencyUs/jitterUs into latencyMs/jitterMs in the resolved action only', () => {
    const s = mutated((s) => { s.actions = [{ atMs: 1, do: 'set-link', link: ['broker', 'c1'], latencyUs: 50, jitterUs: 2500, loss: 0.1 }]; });
    const parsed = parseScenario(s);
    if (!parsed.ok) throw new Error('invalid');
    const r = resolveScenario(parsed.scenario);
    expect(r.actions).toEqual([{ atMs: 1, do: 'set-link', link: ['broker', 'c1'], latencyMs: 0.05, jitterMs: 2.5, loss: 0.1 }]);
    expect(Object.keys(r.actions[0]!)).toEqual(['atMs', 'do', 'link', 'latencyMs', 'jitterMs', 'loss']);
    expect(parsed.scenario.actions![0]).toMatchObject({ latencyUs: 50, jitterUs: 2500 });
  });

  it('runs: segments take the microsecond latency, and set-link changes it (the action event says ms)', () => {
    const s: ScenarioV1 = {
      format: 'halfopen/scenario', version: 1, name: 'us', durationMs: 3000,
      broker: { id: 'broker' },
      clients: [{ id: 'c1', publish: [{ topic: 't', payload: 'x', everyMs: 1000 }] }],
      links: [{ between: ['c1', 'broker'], latencyUs: 50 }],
      actions: [{ atMs: 1500, do: 'set-link', link: ['c1', 'broker'], latencyUs: 250 }],
    };
    const trace = runScenario(resolved(s), { keepTrace: true }).trace;
    const sent = new Map<number, number>();
    const delays: [number, number][] = [];
    for (const e of trace) {
      const f = e as unknown as Json;
      if (e.kind === 'seg.send') sent.set(f.id, e.tMs);
      if (e.kind === 'seg.deliver' && sent.has(f.id)) delays.push([sent.get(f.id)!, Math.round((e.tMs - sent.get(f.id)!) * 1000)]);
    }
    expect(delays.length).toBeGreaterThan(4);
    for (const [at, us] of delays) expect(us, `segment sent at ${at} ms`).toBe(at < 1500 ? 50 : 250);
    expect(delays.some(([at]) => at >= 1500)).toBe(true);
    const action = trace.find((e) => e.kind === 'action') as unknown as Json;
    expect(action).toMatchObject({ do: 'set-link', latencyMs: 0.25 });
    expect(action).not.toHaveProperty('latencyUs');
  });
});

describe('shipped scenarios keep their meaning', () => {
  const dir = join(import.meta.dirname, '..', '..', 'public', 'scenarios');
  const files = readdirSync(dir).filter((f) => f.endsWith('.json') && f !== 'index.json').sort();

  it.each(files)('%s parses and resolves with linux-6.1 on every host (but what its broker.tcp sets), and its links in ms as written', (file) => {
    const json = JSON.parse(readFileSync(join(dir, file), 'utf8')) as Json;
    const r = resolved(json);
    // The reconnect-storm scenarios shrink the broker host's somaxconn on purpose.
    expect(r.broker.tcp).toEqual({ ...LINUX_6_1, ...(json.broker.tcp ?? {}) });
    for (const c of r.clients) expect(c.tcp, c.id).toEqual(LINUX_6_1);
    for (const l of (json.links ?? []) as Json[]) {
      const client = l.between[0] === json.broker.id ? l.between[1] : l.between[0];
      // A link naming a client group applies to each member (`dev` → `dev-01` …).
      const link = r.links.find((x) => x.between[0] === client || x.between[0].startsWith(`${client}-`))!;
      expect(link.latencyMs).toBe(l.latencyMs ?? 10);
      expect(link.jitterMs).toBe(l.jitterMs ?? 0);
    }
  });
});
