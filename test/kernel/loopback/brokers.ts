/**
 * Starting and stopping the real brokers the comparison runs against.
 *
 * mosquitto: Debian's 2.0.11 binary (`apt-get install -y mosquitto`), our own process on a free
 * loopback port with its own config in a temp dir, killed by its PID (toolchain.md §3, §6.10).
 * aedes 1.2.0: its own Node process (aedes-server.mjs), `net.createServer(broker.handle)` on a
 * free port, so that the harness's event loop cannot delay the broker's timers.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { BrokerProfileName } from '../../../sim/scenario/types.ts';

export interface RealBroker {
  name: 'mosquitto' | 'aedes';
  /** The simulator profile that claims to model this broker. */
  profile: BrokerProfileName;
  version: string;
  port: number;
  /** The broker's own log, when it writes one. */
  log(): string;
  stop(): Promise<void>;
}

/** Path of the mosquitto binary, or null when it is not installed. */
export function findMosquitto(): string | null {
  for (const p of ['/usr/sbin/mosquitto', '/usr/local/sbin/mosquitto', '/usr/bin/mosquitto']) {
    if (existsSync(p)) return p;
  }
  const r = spawnSync('sh', ['-c', 'command -v mosquitto'], { encoding: 'utf8' });
  const found = r.stdout.trim();
  return r.status === 0 && found !== '' ? found : null;
}

export async function freePort(): Promise<number> {
  const server = net.createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  const addr = server.address();
  await new Promise<void>((resolve) => server.close(() => resolve()));
  if (addr === null || typeof addr === 'string') throw new Error('no free port');
  return addr.port;
}

async function waitForPort(port: number, child: ChildProcess, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`mosquitto exited with code ${child.exitCode}`);
    const ok = await new Promise<boolean>((resolve) => {
      const s = net.connect({ port, host: '127.0.0.1' });
      s.once('connect', () => { s.destroy(); resolve(true); });
      s.once('error', () => resolve(false));
    });
    if (ok) return;
    if (Date.now() > deadline) throw new Error(`mosquitto did not listen on ${port} within ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

export async function startMosquitto(binary: string): Promise<RealBroker> {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'halfopen-mosq-'));
  const port = await freePort();
  const logPath = path.join(dir, 'mosquitto.log');
  const conf = [
    `listener ${port} 127.0.0.1`,
    'allow_anonymous true',
    'persistence false',
    // As root, mosquitto drops to user "mosquitto" and could not write the log (behaviour.md §10.1).
    ...(process.getuid?.() === 0 ? ['user root'] : []),
    `log_dest file ${logPath}`,
    'log_type all',
    'log_timestamp true',
    'log_timestamp_format %H:%M:%S',
    '',
  ].join('\n');
  const confPath = path.join(dir, 'mosquitto.conf');
  writeFileSync(confPath, conf);
  const version = (spawnSync(binary, ['-h'], { encoding: 'utf8' }).stdout.match(/version (\S+)/)?.[1]) ?? '?';
  const child = spawn(binary, ['-c', confPath], { stdio: ['ignore', 'ignore', 'pipe'] });
  let stderr = '';
  child.stderr?.on('data', (d: Buffer) => { stderr += d.toString(); });
  try {
    await waitForPort(port, child, 5000);
  } catch (err) {
    child.kill('SIGKILL');
    throw new Error(`${(err as Error).message}\n${stderr}`);
  }
  if (child.pid !== undefined) boostPriority(child.pid);
  return {
    name: 'mosquitto', profile: 'mosquitto-2.0', version, port,
    log: () => (existsSync(logPath) ? readFileSync(logPath, 'utf8') : ''),
    async stop() {
      await stopChild(child);
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** Lower niceness (higher priority) for a real-time process; only root may do it, so errors are ignored. */
export function boostPriority(pid: number): void {
  try { os.setPriority(pid, -10); } catch { /* not root: run at normal priority */ }
}

async function stopChild(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null || child.pid === undefined) return;
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  process.kill(child.pid, 'SIGTERM');
  const timer = setTimeout(() => { if (child.exitCode === null && child.pid) process.kill(child.pid, 'SIGKILL'); }, 2000);
  await exited;
  clearTimeout(timer);
}

/** aedes in its own Node process (aedes-server.mjs), killed by PID. */
export async function startAedes(): Promise<RealBroker> {
  const script = fileURLToPath(new URL('./aedes-server.mjs', import.meta.url));
  const child = spawn(process.execPath, [script], { stdio: ['ignore', 'pipe', 'pipe'], cwd: fileURLToPath(new URL('../../../', import.meta.url)) });
  let stderr = '';
  child.stderr?.on('data', (d: Buffer) => { stderr += d.toString(); });
  const port = await new Promise<number>((resolve, reject) => {
    let out = '';
    const timer = setTimeout(() => reject(new Error(`aedes did not start within 10 s\n${stderr}`)), 10_000);
    child.stdout?.on('data', (d: Buffer) => {
      out += d.toString();
      const line = out.split('\n')[0];
      if (out.includes('\n') && line) { clearTimeout(timer); resolve((JSON.parse(line) as { port: number }).port); }
    });
    child.once('exit', (code) => { clearTimeout(timer); reject(new Error(`aedes exited with ${code}\n${stderr}`)); });
  });
  if (child.pid !== undefined) boostPriority(child.pid);
  const pkg = JSON.parse(readFileSync(new URL('../../../node_modules/aedes/package.json', import.meta.url), 'utf8')) as { version: string };
  return {
    name: 'aedes', profile: 'aedes', version: pkg.version, port,
    log: () => stderr,
    stop: () => stopChild(child),
  };
}
