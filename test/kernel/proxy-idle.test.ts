/**
 * The proxy idle timeout (link `proxyIdleTimeoutMs`, sim/net/proxy.ts) against the real thing:
 * Debian's HAProxy (package haproxy, 2.6) in TCP mode between a client and Debian's mosquitto,
 * each in its own network namespace, on real Linux TCP.
 *
 *   client ns  198.18.10.1 ──veth── 198.18.10.2  proxy ns (haproxy, dumpcap on both sides)
 *                                   198.18.11.2 ──veth── 198.18.11.1  broker ns (mosquitto)
 *
 * The client sends CONNECT (K = 60 s), reads CONNACK and stays silent; HAProxy has
 * `timeout client` = `timeout server` = 3 s. Measured from the capture on the proxy's two
 * interfaces: when the proxy closes each side after the CONNACK (the last data), and with
 * which flags (FIN or RST), with and without `option nolinger`. Measured on Linux 6.x: FIN to
 * both 3001.5-3001.7 ms after the CONNACK by default; with `option nolinger` FIN to the client
 * and RST to the server (hence `proxyClose: "rst-to-broker"`). The same world in the
 * simulator (veth latency 25 µs, `proxyIdleTimeoutMs` 3000, `proxyClose` to match) must agree:
 * each close within 30 ms of the real one (HAProxy's timers and a loaded 2-core machine), the
 * flags exactly. Skipped loudly (failing under CI=true) without root, haproxy, mosquitto,
 * dumpcap/tshark. Namespaces `ho-<pid>-pxy-*` are deleted at the end and on exit.
 */
import { describe, expect, it } from 'vitest';
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { sh, sweepStale } from './netns.ts';
import { parseScenario, resolveScenario, runScenario } from '../../sim/index.ts';

const here = path.dirname(fileURLToPath(import.meta.url));
const HAPROXY = '/usr/sbin/haproxy';
const MOSQUITTO = '/usr/sbin/mosquitto';
const TIMEOUT_MS = 3000;
const TOLERANCE_MS = 30;

function missing(): string[] {
  const m: string[] = [];
  if (process.getuid?.() !== 0) m.push('root');
  if (!existsSync(HAPROXY)) m.push('haproxy (Debian package haproxy)');
  if (!existsSync(MOSQUITTO)) m.push('mosquitto (Debian package mosquitto)');
  if (spawnSync('dumpcap', ['--version']).status !== 0 || spawnSync('tshark', ['--version']).status !== 0) m.push('tshark and dumpcap');
  if (spawnSync('ip', ['netns', 'list']).status !== 0) m.push('ip netns');
  return m;
}

const lacking = missing();
if (lacking.length > 0) {
  const msg = `proxy-idle kernel experiment SKIPPED: missing ${lacking.join(', ')}`;
  if (process.env.CI === 'true') throw new Error(msg);
  console.warn(`\n!!! ${msg}\n`);
}

/** One close the proxy sent: ms after the CONNACK left it towards the client, and its flags. */
interface Close { afterMs: number; flags: 'FIN' | 'RST' }
interface Measured { toClient: Close; toBroker: Close }

const names: string[] = [];
function cleanup(): void {
  for (const ns of names.splice(0)) {
    const pids = spawnSync('ip', ['netns', 'pids', ns], { encoding: 'utf8' }).stdout.split('\n').filter(Boolean).map(Number);
    for (const pid of pids) { try { process.kill(pid, 'SIGKILL'); } catch { /* gone */ } }
    spawnSync('ip', ['netns', 'del', ns]);
  }
}
process.on('exit', cleanup);

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function runReal(tag: string, nolinger: boolean): Promise<Measured> {
  const ns = (h: string) => `ho-${process.pid}-pxy${tag}-${h}`;
  const [c, p, b] = [ns('c'), ns('p'), ns('b')];
  for (const n of [c, p, b]) {
    names.push(n);
    await sh('ip', ['netns', 'add', n]);
    await sh('ip', ['-n', n, 'link', 'set', 'lo', 'up']);
  }
  await sh('ip', ['-n', c, 'link', 'add', 'eth0', 'type', 'veth', 'peer', 'name', 'eth0', 'netns', p]);
  await sh('ip', ['-n', b, 'link', 'add', 'eth0', 'type', 'veth', 'peer', 'name', 'eth1', 'netns', p]);
  const addr = async (n: string, dev: string, a: string) => {
    await sh('ip', ['-n', n, 'addr', 'add', a, 'dev', dev]);
    await sh('ip', ['-n', n, 'link', 'set', dev, 'up']);
  };
  await addr(c, 'eth0', '198.18.10.1/24');
  await addr(p, 'eth0', '198.18.10.2/24');
  await addr(p, 'eth1', '198.18.11.2/24');
  await addr(b, 'eth0', '198.18.11.1/24');

  const dir = mkdtempSync(path.join(os.tmpdir(), 'ho-pxy-'));
  writeFileSync(path.join(dir, 'mosquitto.conf'), 'listener 1883 198.18.11.1\nallow_anonymous true\nlog_dest stderr\n');
  writeFileSync(path.join(dir, 'haproxy.cfg'), [
    'defaults', '  mode tcp', '  timeout connect 2s', `  timeout client ${TIMEOUT_MS}ms`, `  timeout server ${TIMEOUT_MS}ms`,
    ...(nolinger ? ['  option nolinger'] : []),
    'listen mqtt', '  bind 198.18.10.2:1883', '  server broker 198.18.11.1:1883', '',
  ].join('\n'));
  const procs: ChildProcess[] = [];
  const start = (n: string, cmd: string, args: string[]) => {
    const child = spawn('ip', ['netns', 'exec', n, cmd, ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
    procs.push(child);
    return child;
  };
  const pcap = path.join(dir, 'proxy.pcapng');
  start(b, MOSQUITTO, ['-c', path.join(dir, 'mosquitto.conf')]);
  start(p, HAPROXY, ['-db', '-f', path.join(dir, 'haproxy.cfg')]);
  const cap = start(p, 'dumpcap', ['-q', '-i', 'eth0', '-i', 'eth1', '-w', pcap]);
  await sleep(1500); // mosquitto, haproxy and dumpcap up
  const client = start(c, 'node', [path.join(here, 'proxy', 'mqtt-idle-client.mjs'), '198.18.10.2', '1883', '60', String(TIMEOUT_MS + 1500)]);
  let out = '';
  client.stdout!.on('data', (d: Buffer) => { out += d.toString(); });
  await new Promise((r) => client.on('exit', r));
  await sleep(300);
  cap.kill('SIGINT');
  await new Promise((r) => cap.on('exit', r));
  for (const x of procs) x.kill('SIGKILL');

  const rows = (await sh('tshark', ['-r', pcap, '-T', 'fields', '-E', 'separator=,',
    '-e', 'frame.time_epoch', '-e', 'ip.src', '-e', 'ip.dst', '-e', 'tcp.flags.fin', '-e', 'tcp.flags.reset', '-e', 'tcp.len', '-Y', 'tcp']))
    .trim().split('\n').map((l) => l.split(','));
  const seg = rows.map(([t, src, dst, fin, rst, len]) => ({
    t: Number(t) * 1000, src, dst, fin: fin === '1' || fin === 'True', rst: rst === '1' || rst === 'True', len: Number(len),
  }));
  // The CONNACK towards the client is the last data before the idle period.
  const connack = seg.find((s) => s.src === '198.18.10.2' && s.dst === '198.18.10.1' && s.len > 0);
  const close = (src: string, dst: string): Close => {
    const s = seg.find((x) => x.src === src && x.dst === dst && (x.fin || x.rst) && connack !== undefined && x.t > connack.t);
    if (s === undefined || connack === undefined) throw new Error(`no close from ${src} to ${dst} in the capture; client said ${out}`);
    return { afterMs: s.t - connack.t, flags: s.rst ? 'RST' : 'FIN' };
  };
  return { toClient: close('198.18.10.2', '198.18.10.1'), toBroker: close('198.18.11.2', '198.18.11.1') };
}

function runSimulated(close: 'fin' | 'rst' | 'rst-to-broker'): Measured {
  const parsed = parseScenario({
    format: 'halfopen/scenario', version: 1, name: 'proxy idle', durationMs: TIMEOUT_MS + 2000,
    broker: { id: 'broker', profile: 'mosquitto-2.0' },
    clients: [{ id: 'sensor', keepAliveSeconds: 60, reconnect: false }],
    links: [{ between: ['sensor', 'broker'], latencyUs: 25, proxyIdleTimeoutMs: TIMEOUT_MS, proxyClose: close }],
  });
  if (!parsed.ok) throw new Error(JSON.stringify(parsed.problems));
  const trace = runScenario(resolveScenario(parsed.scenario)).trace as unknown as Record<string, unknown>[];
  const connack = trace.find((e) => e.kind === 'seg.send' && e.node === 'broker' && (e.len as number) > 0)!;
  const closeTo = (peer: string): Close => {
    const e = trace.find((x) => x.kind === 'seg.send' && x.by === 'proxy' && x.peer === peer)!;
    return { afterMs: (e.tMs as number) - (connack.tMs as number), flags: String(e.flags).includes('RST') ? 'RST' : 'FIN' };
  };
  return { toClient: closeTo('sensor'), toBroker: closeTo('broker') };
}

describe.skipIf(lacking.length > 0)('HAProxy idle timeout on real kernels against the simulated proxy', () => {
  sweepStale();
  it.each([
    ['default (FIN)', false, 'fin'],
    ['option nolinger: FIN to the client, RST to the broker (measured)', true, 'rst-to-broker'],
  ] as const)('%s', async (_name, nolinger, close) => {
    try {
      const real = await runReal(nolinger ? 'r' : 'f', nolinger);
      const sim = runSimulated(close);
      console.log(`proxy-idle ${close}: real ${JSON.stringify(real)} simulated ${JSON.stringify(sim)}`);
      expect(real.toClient.flags).toBe(sim.toClient.flags);
      expect(real.toBroker.flags).toBe(sim.toBroker.flags);
      expect(Math.abs(real.toClient.afterMs - sim.toClient.afterMs)).toBeLessThanOrEqual(TOLERANCE_MS);
      expect(Math.abs(real.toBroker.afterMs - sim.toBroker.afterMs)).toBeLessThanOrEqual(TOLERANCE_MS);
    } finally {
      cleanup();
    }
  }, 60_000);
});
