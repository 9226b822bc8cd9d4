/**
 * The peer part of `npm run bench` (issue 14): the same workload through the `halfopen` command
 * a user runs (the built CLI, start-up included), beside ns-3 and a bare heap loop, and the
 * start-up, trace and memory targets.
 *
 * Workload: N clients, 10 ms links, CONNECT/CONNACK, then a 2-byte request and reply
 * (PINGREQ/PINGRESP) every 60 s for one simulated hour (test/bench/scenario.ts; ns-3:
 * test/bench/ns3-mqtt.cc, built here with g++ when Debian's libns3-dev is installed).
 *
 * Measured (medians of fresh processes; wall time of the whole command as a user sees it):
 * - Halfopen CLI at N: `halfopen run bench-N.json` (untraced) and `--trace FILE`;
 * - ns-3 at N (Simulator::Run's wall time, set-up of the 2N nodes excluded, which favours ns-3);
 * - the bare heap loop at N (test/bench/bare-loop.ts, one event per ping);
 * - SimPy 2's bare loop at N when Debian's python3-simpy is installed (reference line);
 * - every shipped scenario from the CLI (the slowest one's median);
 * - peak RSS of the CLI for 100,000 clients × 1 h (GNU time's maximum resident set, or VmHWM).
 * Targets at N = 10,000: CLI / ns-3 ≤ 0.05; every shipped scenario ≤ 0.15 s; `--trace FILE` ≤
 * 1.5 × untraced; 100,000 clients × 1 h within 1.5 GB.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { loadavg, tmpdir, cpus } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { benchScenario } from './scenario.ts';

const here = dirname(fileURLToPath(import.meta.url));
const root = join(here, '..', '..');
const bin = join(root, 'sim', 'cli', 'bin.mjs');

export interface PeerOptions {
  n: number;
  runs: number;
  ns3Runs: number;
  bigClients: number | null;
  simpy: boolean;
  /** Median wall s of the bare heap loop at n (measured by run.ts in fresh processes). */
  bareSeconds: number | null;
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length === 0 ? NaN : s.length % 2 ? (s[m] as number) : ((s[m - 1] as number) + (s[m] as number)) / 2;
}

const fmt = (x: number, d = 2) => (Number.isFinite(x) ? x.toLocaleString('en-US', { maximumFractionDigits: d, minimumFractionDigits: d }) : '-');

/**
 * Wall seconds, CPU seconds (user + sys) and peak RSS (MB) of one command, through GNU time
 * when it is there (else CPU and RSS are NaN). On a shared machine the CPU time is the steadier
 * figure: wall time grows with everyone else's load.
 */
function timed(cmd: string, args: string[], env?: NodeJS.ProcessEnv): { wall: number; cpu: number; rssMB: number; code: number | null; stderr: string; stdout: string } {
  const gnuTime = existsSync('/usr/bin/time');
  const t0 = performance.now();
  const r = gnuTime
    ? spawnSync('/usr/bin/time', ['-f', 'HALFOPEN_MAXRSS_KB=%M HALFOPEN_CPU=%U+%S', cmd, ...args], { encoding: 'utf8', maxBuffer: 1 << 26, env })
    : spawnSync(cmd, args, { encoding: 'utf8', maxBuffer: 1 << 26, env });
  const wall = (performance.now() - t0) / 1000;
  const m = /HALFOPEN_MAXRSS_KB=(\d+)/.exec(r.stderr ?? '');
  const c = /HALFOPEN_CPU=([\d.]+)\+([\d.]+)/.exec(r.stderr ?? '');
  return {
    wall, cpu: c ? Number(c[1]) + Number(c[2]) : NaN, rssMB: m ? Number(m[1]) / 1024 : NaN,
    code: r.status, stderr: r.stderr ?? '', stdout: r.stdout ?? '',
  };
}

/** Builds test/bench/ns3-mqtt.cc when libns3-dev and g++ are there; the binary's path or why not. */
function buildNs3(out: string): { path: string } | { why: string } {
  const pc = spawnSync('pkg-config', ['--cflags', 'ns3-core', 'ns3-network', 'ns3-internet', 'ns3-point-to-point'], { encoding: 'utf8' });
  if (pc.status !== 0) return { why: 'ns-3 not installed (apt-get install libns3-dev)' };
  const exe = join(out, 'ns3-mqtt');
  // The .pc files' --libs name libgsl.so (libgsl-dev); the ns-3 libraries alone are enough.
  const cflags = pc.stdout.trim().split(/\s+/).filter((f) => f !== '' && f !== '-I/usr\\;');
  const r = spawnSync('g++', ['-O2', '-std=c++17', join(here, 'ns3-mqtt.cc'), '-o', exe, ...cflags,
    '-lns3-core', '-lns3-network', '-lns3-internet', '-lns3-point-to-point'], { encoding: 'utf8' });
  if (r.status !== 0) return { why: `g++ failed: ${(r.stderr || String(r.error)).trim().split('\n').slice(-3).join(' | ')}` };
  return { path: exe };
}

function simpyRun(n: number): number | string {
  const py = '/usr/bin/python3';
  if (!existsSync(py) || spawnSync(py, ['-c', 'import SimPy'], { encoding: 'utf8' }).status !== 0) {
    return 'SimPy 2 not installed (Debian python3-simpy; PyPI is not reachable offline)';
  }
  const r = spawnSync(py, [join(here, 'simpy_bare.py'), String(n)], { encoding: 'utf8' });
  if (r.status !== 0) return `SimPy failed: ${r.stderr.trim().split('\n').pop()}`;
  return (JSON.parse(r.stdout.trim()) as { wallSeconds: number }).wallSeconds;
}

export function peer(o: PeerOptions): void {
  const work = mkdtempSync(join(tmpdir(), 'halfopen-bench-'));
  const lines: string[] = [];
  const targets: string[] = [];
  const log = (s: string) => process.stderr.write(`  ${s}\n`);
  try {
    const load0 = loadavg();
    // Make sure the bin's build is fresh before timing it (a stale build is rebuilt on first use).
    spawnSync(process.execPath, [bin, '--version'], { encoding: 'utf8' });
    const file = join(work, `bench-${o.n}.json`);
    writeFileSync(file, JSON.stringify(benchScenario(o.n)));
    const trace = join(work, 'trace.ndjson');

    const untraced: number[] = [];
    const traced: number[] = [];
    const untracedCpu: number[] = [];
    const tracedCpu: number[] = [];
    for (let i = 0; i < o.runs; i++) {
      const a = timed(process.execPath, [bin, 'run', file]);
      if (a.code !== 0) { lines.push(`Halfopen CLI failed: exit ${a.code}: ${a.stderr.trim().split('\n').slice(-3).join(' | ')}`); break; }
      untraced.push(a.wall);
      untracedCpu.push(a.cpu);
      log(`halfopen run (N=${o.n}) run ${i + 1}/${o.runs}: ${fmt(a.wall)} s, CPU ${fmt(a.cpu)} s, RSS ${fmt(a.rssMB, 0)} MB`);
      const b = timed(process.execPath, [bin, 'run', file, '--trace', trace]);
      if (b.code !== 0) { lines.push(`Halfopen CLI --trace failed: exit ${b.code}`); break; }
      traced.push(b.wall);
      tracedCpu.push(b.cpu);
      log(`halfopen run --trace FILE (N=${o.n}) run ${i + 1}/${o.runs}: ${fmt(b.wall)} s, CPU ${fmt(b.cpu)} s`);
    }
    rmSync(trace, { force: true });
    const cli = median(untraced);
    const cliTraced = median(traced);
    const cliCpu = median(untracedCpu);
    const cliTracedCpu = median(tracedCpu);

    let ns3: number | string = 'not run';
    let ns3Cpu = NaN;
    const built = buildNs3(work);
    if ('why' in built) ns3 = built.why;
    else {
      const walls: number[] = [];
      const cpus: number[] = [];
      for (let i = 0; i < o.ns3Runs; i++) {
        const r = timed(built.path, [String(o.n)]);
        if (r.code !== 0) { ns3 = `ns-3 failed: exit ${r.code}`; break; }
        const j = JSON.parse(r.stdout.trim().split('\n').pop() ?? '{}') as { wallSeconds: number; replies: number };
        walls.push(j.wallSeconds);
        cpus.push(r.cpu);
        log(`ns-3 (N=${o.n}) run ${i + 1}/${o.ns3Runs}: ${fmt(j.wallSeconds)} s (Simulator::Run), CPU ${fmt(r.cpu)} s (whole process), ${j.replies} replies`);
      }
      if (walls.length > 0) { ns3 = median(walls); ns3Cpu = median(cpus); }
    }

    const simpy = o.simpy ? simpyRun(o.n) : 'skipped (--no-simpy)';

    const shipped = readdirSync(join(root, 'public', 'scenarios')).filter((f) => f.endsWith('.json') && f !== 'index.json').sort();
    let slowest = { file: '', wall: 0, cpu: NaN };
    for (const f of shipped) {
      const walls: number[] = [];
      const cpus: number[] = [];
      for (let i = 0; i < Math.max(3, o.runs); i++) {
        const r = timed(process.execPath, [bin, 'run', join(root, 'public', 'scenarios', f)]);
        walls.push(r.wall);
        cpus.push(r.cpu);
      }
      const m = median(walls);
      if (m > slowest.wall) slowest = { file: f, wall: m, cpu: median(cpus) };
    }
    log(`slowest shipped scenario: ${slowest.file} ${fmt(slowest.wall, 3)} s (CPU ${fmt(slowest.cpu, 3)} s)`);
    // Node's own start, for scale: no scenario can start faster than this.
    const bare = Array.from({ length: Math.max(3, o.runs) }, () => timed(process.execPath, ['-e', '0']));
    const nodeStart = { wall: median(bare.map((r) => r.wall)), cpu: median(bare.map((r) => r.cpu)) };
    // These machines set NODE_EXTRA_CA_CERTS (a CA bundle), which Node reads at every start
    // (~0.09 s here): the same two figures without it, as on a machine that does not set it.
    let noCa: { node: number; slowest: number } | null = null;
    if (process.env.NODE_EXTRA_CA_CERTS) {
      const env = { ...process.env };
      delete env.NODE_EXTRA_CA_CERTS;
      const runs = Math.max(3, o.runs);
      const nodeWalls = Array.from({ length: runs }, () => timed(process.execPath, ['-e', '0'], env).wall);
      const scenWalls = Array.from({ length: runs }, () => timed(process.execPath, [bin, 'run', join(root, 'public', 'scenarios', slowest.file)], env).wall);
      noCa = { node: median(nodeWalls), slowest: median(scenWalls) };
      lines.push(`NODE_EXTRA_CA_CERTS is set (${process.env.NODE_EXTRA_CA_CERTS}): Node reads it at every start. Without it: \`node -e 0\` ${fmt(noCa.node, 3)} s, ${slowest.file} ${fmt(noCa.slowest, 3)} s (wall, medians of ${runs})`);
    }

    let big: { wall: number; cpu: number; rssMB: number } | string = 'skipped (--big 0)';
    if (o.bigClients !== null) {
      const bigFile = join(work, `bench-${o.bigClients}.json`);
      writeFileSync(bigFile, JSON.stringify(benchScenario(o.bigClients)));
      const r = timed(process.execPath, [bin, 'run', bigFile]);
      big = r.code === 0 ? { wall: r.wall, cpu: r.cpu, rssMB: r.rssMB } : `failed: exit ${r.code}`;
      log(`halfopen run (N=${o.bigClients}): ${typeof big === 'string' ? big : `${fmt(big.wall)} s, peak RSS ${fmt(big.rssMB, 0)} MB`}`);
    }
    const load1 = loadavg();

    console.log(`\n### Halfopen and its peers, N = ${o.n.toLocaleString('en-US')} clients, one simulated hour`);
    console.log(`(${cpus().length} CPUs; load average ${fmt(load0[0] ?? NaN)} before, ${fmt(load1[0] ?? NaN)} after; medians of ${o.runs} CLI runs, ${o.ns3Runs} ns-3 run(s))\n`);
    console.log('| what | wall s | CPU s (user + sys) | Halfopen CLI / this |');
    console.log('|---|---:|---:|---:|');
    console.log(`| Halfopen CLI \`halfopen run\` (start-up included) | ${fmt(cli)} | ${fmt(cliCpu)} | 1.00 |`);
    console.log(`| Halfopen CLI \`--trace FILE\` | ${fmt(cliTraced)} | ${fmt(cliTracedCpu)} | ${fmt(cli / cliTraced)} (CPU ${fmt(cliCpu / cliTracedCpu)}) |`);
    console.log(`| ns-3 3.37 (wall: Simulator::Run only; CPU: whole process) | ${typeof ns3 === 'number' ? fmt(ns3) : ns3} | ${fmt(ns3Cpu)} | ${typeof ns3 === 'number' ? `${fmt(cli / ns3, 3)} (CPU ${fmt(cliCpu / ns3Cpu, 3)})` : '-'} |`);
    console.log(`| bare heap loop (one event per ping) | ${o.bareSeconds === null ? '-' : fmt(o.bareSeconds, 3)} | | ${o.bareSeconds === null ? '-' : fmt(cli / o.bareSeconds, 1)} |`);
    console.log(`| SimPy 2.3.1 bare \`yield hold\` loop (reference) | ${typeof simpy === 'number' ? fmt(simpy) : simpy} | | ${typeof simpy === 'number' ? fmt(cli / simpy, 2) : '-'} |`);
    console.log(`| slowest shipped scenario from the CLI (${slowest.file}) | ${fmt(slowest.wall, 3)} | ${fmt(slowest.cpu, 3)} | |`);
    console.log(`| Node's own start (\`node -e 0\`), for scale | ${fmt(nodeStart.wall, 3)} | ${fmt(nodeStart.cpu, 3)} | |`);
    if (typeof big !== 'string') console.log(`| Halfopen CLI, ${o.bigClients?.toLocaleString('en-US')} clients | ${fmt(big.wall)} | ${fmt(big.cpu)} | peak RSS ${fmt(big.rssMB, 0)} MB |`);
    for (const l of lines) console.log(`\nnote: ${l}`);

    const verdict = (ok: boolean) => (ok ? 'MET' : 'NOT MET');
    if (typeof ns3 === 'number') targets.push(`- Halfopen CLI / ns-3 ≤ 0.05: ${fmt(cli / ns3, 3)} (CPU: ${fmt(cliCpu / ns3Cpu, 3)}, ns-3 set-up included) → ${verdict(cli / ns3 <= 0.05)}`);
    else targets.push(`- Halfopen CLI / ns-3 ≤ 0.05: not measured (${ns3})`);
    targets.push(`- every shipped scenario ≤ 0.15 s from the CLI: slowest ${fmt(slowest.wall, 3)} s (CPU ${fmt(slowest.cpu, 3)} s; Node alone ${fmt(nodeStart.wall, 3)} s, CPU ${fmt(nodeStart.cpu, 3)} s) → ${verdict(slowest.wall <= 0.15)}${noCa === null ? '' : `; without NODE_EXTRA_CA_CERTS ${fmt(noCa.slowest, 3)} s (Node alone ${fmt(noCa.node, 3)} s) → ${verdict(noCa.slowest <= 0.15)}`}`);
    targets.push(`- \`--trace FILE\` ≤ 1.5 × untraced: ${fmt(cliTraced / cli)} × (CPU ${fmt(cliTracedCpu / cliCpu)} ×) → ${verdict(cliTraced / cli <= 1.5)}`);
    if (typeof big === 'string') targets.push(`- 100,000 clients × 1 h within 1.5 GB: ${big}`);
    else targets.push(`- ${o.bigClients?.toLocaleString('en-US')} clients × 1 h within 1.5 GB: peak RSS ${fmt(big.rssMB, 0)} MB → ${verdict(big.rssMB <= 1536)}`);
    console.log('\nTargets:');
    for (const t of targets) console.log(t);
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}
