/**
 * Starting and stopping the real brokers the comparison runs against.
 *
 * mosquitto: Debian's 2.0.11 binary (`apt-get install -y mosquitto`), our own process on a free
 * loopback port with its own config in a temp dir, killed by its PID (toolchain.md §3, §6.10).
 * aedes 1.2.0: in this process, `net.createServer(broker.handle)` on a free port.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import type { BrokerProfileName } from '../../sim/scenario/types.ts';

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
  return {
    name: 'mosquitto', profile: 'mosquitto-2.0', version, port,
    log: () => (existsSync(logPath) ? readFileSync(logPath, 'utf8') : ''),
    async stop() {
      if (child.exitCode === null && child.pid !== undefined) {
        const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
        process.kill(child.pid, 'SIGTERM');
        const timer = setTimeout(() => { if (child.exitCode === null && child.pid) process.kill(child.pid, 'SIGKILL'); }, 2000);
        await exited;
        clearTimeout(timer);
      }
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

export async function startAedes(): Promise<RealBroker> {
  const { Aedes } = await import('aedes');
  const broker = await Aedes.createBroker();
  const sockets = new Set<net.Socket>();
  const server = net.createServer((s) => {
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
    broker.handle(s);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  const addr = server.address();
  if (addr === null || typeof addr === 'string') throw new Error('aedes: no port');
  const pkg = JSON.parse(readFileSync(new URL('../../node_modules/aedes/package.json', import.meta.url), 'utf8')) as { version: string };
  return {
    name: 'aedes', profile: 'aedes', version: pkg.version, port: addr.port,
    log: () => '',
    async stop() {
      for (const s of sockets) s.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await new Promise<void>((resolve) => broker.close(() => resolve()));
    },
  };
}
