// `halfopen run` and `halfopen validate` as a user runs them (CONTRACT.md section 1): real files
// in a temporary folder, the real binary, exit statuses 0/1/2, error lines, files left behind.
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { parseScenario } from '../../sim/scenario/parse.ts';
import { contractExample, minimal } from '../scenario/fixtures.ts';

const root = new URL('../..', import.meta.url).pathname;
const bin = join(root, 'sim/cli/bin.mjs');
const dir = mkdtempSync(join(tmpdir(), 'halfopen-cli-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

interface Out { status: number | null; stdout: string; stderr: string }

function cli(...args: string[]): Out {
  const r = spawnSync(process.execPath, [bin, ...args], { cwd: dir, encoding: 'utf8', maxBuffer: 1 << 28 });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

function cliAsync(...args: string[]): Promise<Out> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [bin, ...args], { cwd: dir });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (d: string) => { stdout += d; });
    child.stderr.setEncoding('utf8').on('data', (d: string) => { stderr += d; });
    child.on('close', (status) => resolve({ status, stdout, stderr }));
  });
}

let fileCount = 0;
function file(content: unknown, name = `s${fileCount++}.json`): string {
  const path = join(dir, name);
  writeFileSync(path, typeof content === 'string' ? content : JSON.stringify(content, null, 2));
  return path;
}

/** A stack trace would show lines like "    at main (file.ts:1:2)". */
function expectNoStack(text: string): void {
  expect(text).not.toMatch(/^\s+at .+[:(]/m);
  expect(text).not.toMatch(/Error:|node:internal/);
}

const stderrLines = (o: Out) => o.stderr.split('\n').filter((l) => l !== '');

/** Keeps publishing, so that a run makes a long trace. */
function chatty(): Record<string, any> {
  return {
    ...minimal(), name: 'chatty', durationMs: 120000, seed: 5,
    clients: [{ id: 'c1', keepAliveSeconds: 5, publish: [{ topic: 't', payload: 'x'.repeat(50), qos: 1, everyMs: 100 }] }],
    links: [{ between: ['c1', 'broker'], latencyMs: 20, jitterMs: 15, loss: 0.05 }],
  };
}

describe('halfopen validate', { timeout: 300_000 }, () => {
  it('exits 0 for a valid file and says so on stdout', () => {
    const o = cli('validate', file(contractExample()));
    expect(o.status).toBe(0);
    expect(o.stdout).toMatch(/valid scenario "Sensor loses power" \(1 client, 1 action, 1 expectation\)/);
    expect(o.stderr).toBe('');
  });

  it('exits 2 with one line per problem, each starting with its JSON path', () => {
    const s = contractExample() as any;
    s.clients[0].keepAliveSeconds = 70000;
    s.clients[0].keepAlive = 10;
    s.actions.push({ atMs: 1, do: 'disconnect', node: 'broker' });
    const o = cli('validate', file(s));
    expect(o.status).toBe(2);
    expect(stderrLines(o)).toEqual([
      'clients[0].keepAlive: unknown key (did you mean "keepAliveSeconds"?)',
      'clients[0].keepAliveSeconds: must be an integer from 0 to 65535',
      'actions[1].node: "broker" is the broker, but "disconnect" is done by a client',
    ]);
    expect(o.stdout).toBe('');
  });

  it('exits 2 for invalid JSON, naming line and column', () => {
    const o = cli('validate', file('{\n  "format": "halfopen/scenario",\n  "version": 1\n  "name": "x"\n}'));
    expect(o.status).toBe(2);
    expect(stderrLines(o)).toEqual(['(root): invalid JSON at line 4, column 3: expected "," or "}", found "\\""']);
  });

  it('exits 2 for a missing file or a folder, naming the file', () => {
    const missing = cli('validate', 'no-such-file.json');
    expect(missing.status).toBe(2);
    expect(stderrLines(missing)).toEqual(['no-such-file.json: cannot read the file: no such file or directory']);
    const folder = cli('validate', dir);
    expect(folder.status).toBe(2);
    expect(stderrLines(folder)).toEqual([`${dir}: cannot read the file: is a directory`]);
  });

  it('refuses run options', () => {
    const o = cli('validate', file(minimal()), '--seed', '3');
    expect(o.status).toBe(2);
    expect(stderrLines(o)).toEqual(['--seed: is an option of halfopen run, not of validate']);
  });
});

describe('options and help', { timeout: 300_000 }, () => {
  it('--help and -h print usage and exit 0; --version prints the package version', () => {
    for (const flag of ['--help', '-h']) {
      const o = cli(flag);
      expect(o.status).toBe(0);
      expect(o.stdout).toMatch(/^Usage:\n {2}halfopen run FILE/);
      expect(o.stdout).toContain('--until-ms N');
    }
    const v = cli('--version');
    const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { version: string };
    expect(v.status).toBe(0);
    expect(v.stdout).toBe(`halfopen ${pkg.version}\n`);
  });

  const usageErrors: [string[], string][] = [
    [['run', 'X', '--sed', '3'], '--sed: unknown option (did you mean "--seed"?); see halfopen --help'],
    [['run', 'X', '--seed', 'abc'], '--seed: must be an integer from 0 to 4294967295, not "abc"'],
    [['run', 'X', '--seed', '-1'], '--seed: must be an integer from 0 to 4294967295, not "-1"'],
    [['run', 'X', '--seed=4294967296'], '--seed: must be an integer from 0 to 4294967295, not "4294967296"'],
    [['run', 'X', '--until-ms', '0'], '--until-ms: must be a positive integer (virtual milliseconds) from 1 to 604800000, not "0"'],
    [['run', 'X', '--until-ms', '1.5'], '--until-ms: must be a positive integer (virtual milliseconds) from 1 to 604800000, not "1.5"'],
    [['run', 'X', '--broker-profile', 'mosquitto'], '--broker-profile: unknown profile "mosquitto" (did you mean "mosquitto-2.0"?); the profiles are spec, mosquitto-2.0, aedes'],
    [['run', 'X', '--trace'], '--trace: needs a value'],
    [['run', 'X', '--seed', '1', '--seed', '2'], '--seed: given more than once'],
    [['run'], 'halfopen run: missing FILE (the scenario to run)'],
    [['rn', 'X'], 'rn: unknown command (did you mean "run"?); the commands are run and validate'],
    [[], 'halfopen: missing command (run or validate); see halfopen --help'],
  ];
  it('usage errors exit 2 with one line that names the option', async () => {
    const outs = await Promise.all(usageErrors.map(([args]) => cliAsync(...args)));
    outs.forEach((o, i) => {
      const [args, line] = usageErrors[i]!;
      expect({ args, status: o.status, stderr: stderrLines(o), stdout: o.stdout }).toEqual({ args, status: 2, stderr: [line], stdout: '' });
    });
  });

  it('checks options before it reads the file, and writes nothing', () => {
    const trace = join(dir, 'opt-trace.ndjson');
    const o = cli('run', file(minimal()), '--trace', trace, '--until-ms', '-3');
    expect(o.status).toBe(2);
    expect(existsSync(trace)).toBe(false);
  });
});

describe('halfopen run', { timeout: 300_000 }, () => {
  it('exits 0 when every expectation holds; the summary goes to stdout', () => {
    const o = cli('run', file(contractExample()));
    expect(o.status).toBe(0);
    expect(o.stdout).toContain('virtual time reached: 120000 ms');
    expect(o.stdout).toMatch(/Wills published: 1\n/);
    expect(o.stdout).toContain('expectations: 1 of 1 passed');
    expect(o.stderr).toBe('');
  });

  it('exits 1 when an expectation fails, one line on stderr naming its index and what was seen', () => {
    const s = contractExample();
    s.expect = [
      { kind: 'will.published', where: { clientId: 'sensor-1' }, count: 1 },
      { kind: 'will.published', where: { clientId: 'nobody' }, count: 1 },
      { kind: 'session.expired', atLeast: 1 },
    ];
    const trace = join(dir, 'exit1.ndjson');
    const o = cli('run', file(s), '--trace', trace);
    expect(o.status).toBe(1);
    expect(stderrLines(o)).toEqual([
      'expect[1]: will.published where {"clientId":"nobody"}: expected count 1, saw 0',
      'expect[2]: session.expired: expected at least 1, saw 0',
    ]);
    expect(o.stdout).toContain('expectations: 1 of 3 passed, 2 failed');
    // The run finished, so its trace is kept.
    expect(readFileSync(trace, 'utf8').split('\n').length).toBeGreaterThan(10);
  });

  it('writes no trace or capture file for an invalid scenario', () => {
    const s = minimal() as any;
    s.clients[0].keepAliveSeconds = -1;
    const trace = join(dir, 'bad-trace.ndjson');
    const pcap = join(dir, 'bad.pcapng');
    const o = cli('run', file(s), '--trace', trace, '--pcap', pcap);
    expect(o.status).toBe(2);
    expect(stderrLines(o)).toEqual(['clients[0].keepAliveSeconds: must be an integer from 0 to 65535']);
    expect(existsSync(trace)).toBe(false);
    expect(existsSync(pcap)).toBe(false);
  });

  it('refuses a --trace or --pcap path that is the scenario itself or the other output, and leaves the file intact', () => {
    const path = file(minimal(), 'keep-me.json');
    const before = readFileSync(path, 'utf8');
    const spelled = join(dir, '.', 'keep-me.json');
    for (const [args, start] of [
      [['--trace', 'keep-me.json'], '--trace: "keep-me.json" is the scenario file itself'],
      [['--pcap', spelled], `--pcap: ${JSON.stringify(spelled)} is the scenario file itself`],
      [['--trace', 'both.out', '--pcap', './both.out'], '--pcap: "./both.out" is the same file as --trace "both.out"'],
    ] as const) {
      const r = cli('run', path, ...args);
      expect(r.status, args.join(' ')).toBe(2);
      expect(r.stderr.trim().split('\n')).toHaveLength(1);
      expect(r.stderr.startsWith(start), r.stderr).toBe(true);
    }
    expect(readFileSync(path, 'utf8')).toBe(before);
    expect(existsSync(join(dir, 'both.out'))).toBe(false);
  });

  it('--trace - writes NDJSON on stdout and the summary on stderr', () => {
    const o = cli('run', file(contractExample()), '--trace', '-');
    expect(o.status).toBe(0);
    expect(o.stdout.endsWith('\n')).toBe(true);
    const events = o.stdout.trimEnd().split('\n').map((l) => JSON.parse(l) as { seq: number; tMs: number; kind: string });
    expect(events.map((e) => e.seq)).toEqual(events.map((_, i) => i));
    expect(Object.keys(events[0]!).slice(0, 3)).toEqual(['seq', 'tMs', 'kind']);
    expect(events.filter((e) => e.kind === 'will.published')).toHaveLength(1);
    expect(o.stderr).toContain('virtual time reached: 120000 ms');
  });

  it('gives byte-identical traces for the same file, to a file and to stdout alike', async () => {
    const f = file(chatty());
    const a = join(dir, 'det-a.ndjson');
    const b = join(dir, 'det-b.ndjson');
    const [ra, rb, out] = await Promise.all([cliAsync('run', f, '--trace', a), cliAsync('run', f, '--trace', b), cliAsync('run', f, '--trace', '-')]);
    expect([ra.status, rb.status, out.status]).toEqual([0, 0, 0]);
    const bytes = readFileSync(a);
    expect(bytes.length).toBeGreaterThan(1 << 20); // long enough to be written in several chunks
    expect(readFileSync(b).equals(bytes)).toBe(true);
    expect(Buffer.from(out.stdout).equals(bytes)).toBe(true);
  });

  it('--seed changes the trace of a scenario with loss and jitter; the same seed repeats it', async () => {
    const f = file({ ...chatty(), durationMs: 30000 });
    const [s5, s6, plain] = (await Promise.all([
      cliAsync('run', f, '--trace', '-', '--seed', '5'), cliAsync('run', f, '--trace', '-', '--seed', '6'), cliAsync('run', f, '--trace', '-'),
    ])).map((o) => o.stdout);
    expect(s5).toBe(plain); // the file's seed is 5
    expect(s6).not.toBe(s5);
    expect(s6!.length).toBeGreaterThan(1000);
  });

  it('--pcap writes a pcapng file and does not change the trace', () => {
    const f = file(contractExample());
    const pcap = join(dir, 'run.pcapng');
    const withCapture = cli('run', f, '--trace', '-', '--pcap', pcap);
    const without = cli('run', f, '--trace', '-');
    expect(withCapture.status).toBe(0);
    expect(withCapture.stdout).toBe(without.stdout);
    const bytes = readFileSync(pcap);
    expect(bytes.readUInt32LE(0)).toBe(0x0a0d0d0a); // pcapng Section Header Block
    expect(bytes.length).toBeGreaterThan(200);
  });

  it('--until-ms stops the run early', () => {
    const o = cli('run', file(contractExample()), '--trace', '-', '--until-ms', '20000');
    const events = o.stdout.trimEnd().split('\n').map((l) => JSON.parse(l) as { tMs: number; kind: string });
    expect(Math.max(...events.map((e) => e.tMs))).toBeLessThanOrEqual(20000);
    expect(o.stderr).toContain('virtual time reached: 20000 ms');
    // The Will comes at ~36 s, so the expectation fails: exit 1.
    expect(o.status).toBe(1);
  });

  it('--broker-profile overrides the file', () => {
    const o = cli('run', file(contractExample()), '--broker-profile', 'aedes');
    expect(o.stdout).toContain('broker profile aedes');
  });

  it('reads the scenario from standard input with FILE -', () => {
    const r = spawnSync(process.execPath, [bin, 'validate', '-'], { input: JSON.stringify(minimal()), encoding: 'utf8' });
    expect(r.status).toBe(0);
  });

  it('prints no stack when the reader of stdout goes away (EPIPE)', () => {
    const f = file(chatty());
    const r = spawnSync('sh', ['-c', `"${process.execPath}" "${bin}" run "${f}" --trace - | head -n 1`], { encoding: 'utf8' });
    expect(r.stdout.split('\n')[0]).toMatch(/^\{"seq":0,/);
    expectNoStack(r.stderr);
    expect(r.stderr).not.toContain('EPIPE');
  });
});

describe('mutated files through the real CLI', { timeout: 300_000 }, () => {
  // Twenty broken files, each checked against the library's own verdict: exit 2, the same
  // lines, every line starting with a JSON path, no stack trace, no trace file.
  const mutations: ((s: any) => void)[] = [
    (s) => { delete s.broker; },
    (s) => { s.clients = 'sensor'; },
    (s) => { s.clients[0].will = []; },
    (s) => { s.clients[0].will.qos = 7; s.seed = 1e300; },
    (s) => { s.durationMs = -5; },
    (s) => { s.links[0].between = ['sensor', 'sensor']; },
    (s) => { s.actions[0].node = { id: 'sensor' }; },
    (s) => { s.actions[0].do = null; },
    (s) => { s.expect[0].betweenMs = [40000, 30000]; s.expect[0].none = true; },
    (s) => { s.clients.push(s.clients[0]); },
    (s) => { s.broker = [s.broker]; },
    (s) => { s.clients[0].publish[0].everyMs = 0; s.clients[0].subscriptions = null; },
    (s) => { s.version = 99; },
    (s) => { s.clients[0].protocol = 5; s.clients[0].sessionExpirySeconds = 'forever'; },
    (s) => { s.name = { en: 'x' }; s.description = 7; },
    (s) => { s.actions = [{ atMs: 1e12, do: 'heal', link: 'sensor-broker' }]; },
    (s) => { s.clients[0].reconnect = { delayMs: 1000, backoff: 0.5 }; },
    (s) => { s.expect = [{}]; },
    (s) => { s.links.push({ between: ['broker', 'sensor'], loss: -0.1 }); },
    (s) => { s.clients[0].id = ''; s.actions[0].atMs = 'soon'; },
  ];

  it('exit 2 with path-prefixed lines that match parseScenario, and no stack', async () => {
    const trace = join(dir, 'mutated.ndjson');
    const runs = mutations.map(async (mutate, i) => {
      const s = contractExample();
      mutate(s);
      const expected = parseScenario(JSON.parse(JSON.stringify(s)));
      expect(expected.ok, `mutation ${i} should be invalid`).toBe(false);
      const lines = expected.ok ? [] : expected.problems.map((p) => `${p.path}: ${p.message}`);
      const o = await cliAsync(i % 2 === 0 ? 'validate' : 'run', file(s, `mutated-${i}.json`), ...(i % 2 === 0 ? [] : ['--trace', trace]));
      expect(o.status, `mutation ${i}`).toBe(2);
      expect(stderrLines(o), `mutation ${i}`).toEqual(lines);
      for (const line of stderrLines(o)) expect(line).toMatch(/^(\(root\)|[A-Za-z]+)(\[\d+\]|\.[A-Za-z]+|\["[^"]*"\])*: /);
      expectNoStack(o.stderr);
      expect(o.stdout).toBe('');
    });
    await Promise.all(runs);
    expect(existsSync(trace)).toBe(false);
  });
});
