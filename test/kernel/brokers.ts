/**
 * Real brokers inside the broker host's namespace, on 0.0.0.0:1883:
 * - mosquitto: Debian's 2.0.11 binary with its own config in a temp dir, logging everything to
 *   stderr (unbuffered, so each line is stamped with the wall clock as it is written);
 * - aedes 1.2.0: aedes-server.mjs, its own Node process, printing what aedes reports as JSON.
 * Both are stopped or SIGKILLed by their own pid (processes.ts).
 */
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { BROKER_RT_PRIORITY, NsProcess, wallMs } from './processes.ts';

export type BrokerImpl = 'mosquitto' | 'aedes';

export function findMosquitto(): string | null {
  for (const p of ['/usr/sbin/mosquitto', '/usr/local/sbin/mosquitto', '/usr/bin/mosquitto']) if (existsSync(p)) return p;
  const r = spawnSync('sh', ['-c', 'command -v mosquitto'], { encoding: 'utf8' });
  return r.status === 0 && r.stdout.trim() ? r.stdout.trim() : null;
}

export function mosquittoVersion(bin: string): string {
  return spawnSync(bin, ['-h'], { encoding: 'utf8' }).stdout.match(/version (\S+)/)?.[1] ?? '?';
}

export function aedesVersion(): string {
  return (JSON.parse(readFileSync(new URL('../../node_modules/aedes/package.json', import.meta.url), 'utf8')) as { version: string }).version;
}

export function mqttjsVersion(): string {
  return (JSON.parse(readFileSync(new URL('../../node_modules/mqtt/package.json', import.meta.url), 'utf8')) as { version: string }).version;
}

const root = fileURLToPath(new URL('../../', import.meta.url));

/** A broker event as the harness compares it (t: wall-clock ms). */
export interface BrokerEvent { t: number; kind: 'ka-expired' | 'takeover' | 'timed-out' | 'conn-lost' | 'log'; clientId?: string; text: string }

export class RealBrokerProcess {
  proc: NsProcess | null = null;
  readonly events: BrokerEvent[] = [];
  private confPath: string | null = null;

  /**
   * `persistence`: the scenario's broker.persistence (mosquitto `persistence true`, its file in
   * this process's own temp dir, which outlives every start, as a disk outlives a power cut).
   */
  constructor(
    readonly impl: BrokerImpl, private readonly mosquittoBin: string | null,
    private readonly persistence: { enabled?: boolean; autosaveIntervalSeconds?: number; autosaveAfterChanges?: number } | null = null,
  ) {}

  async start(ns: string): Promise<void> {
    if (this.impl === 'mosquitto') {
      if (!this.confPath) {
        const dir = mkdtempSync(path.join(os.tmpdir(), 'ho-mosq-'));
        this.confPath = path.join(dir, 'mosquitto.conf');
        const persist = this.persistence !== null && this.persistence.enabled !== false;
        writeFileSync(this.confPath, [
          'listener 1883 0.0.0.0',
          'allow_anonymous true',
          ...(persist
            ? ['persistence true', `persistence_location ${dir}/`,
              ...(this.persistence!.autosaveAfterChanges !== undefined
                ? ['autosave_on_changes true', `autosave_interval ${this.persistence!.autosaveAfterChanges}`]
                : [`autosave_interval ${this.persistence!.autosaveIntervalSeconds ?? 1800}`])]
            : ['persistence false']),
          'user root',
          'log_dest stderr',
          'log_type all',
          'log_timestamp true',
          '',
        ].join('\n'));
      }
      const p = new NsProcess('mosquitto', ns, this.mosquittoBin!, ['-c', this.confPath], { priority: BROKER_RT_PRIORITY });
      this.proc = p;
      p.child.stderr!.on('data', () => undefined);
      this.watchMosquitto(p);
      await p.waitForErr((l) => l.includes('running'), 10_000, 'mosquitto running');
      p.promote();
    } else {
      const p = new NsProcess('aedes', ns, process.execPath, [path.join(root, 'test/kernel/aedes-server.mjs'), '1883'], { cwd: root, priority: BROKER_RT_PRIORITY });
      this.proc = p;
      this.watchAedes(p);
      await p.waitFor((j) => j.ev === 'listening', 15_000, 'aedes listening');
      p.promote();
    }
  }

  private watchMosquitto(p: NsProcess): void {
    let seen = 0;
    const scan = () => {
      for (; seen < p.errLines.length; seen++) {
        const { t, text } = p.errLines[seen]!;
        const body = text.replace(/^\d+: /, '');
        let m: RegExpExecArray | null;
        if ((m = /^Client (\S+) has exceeded timeout, disconnecting\./.exec(body))) this.events.push({ t, kind: 'ka-expired', clientId: m[1], text: body });
        else if ((m = /^Client (\S+) already connected, closing old connection\./.exec(body))) this.events.push({ t, kind: 'takeover', clientId: m[1], text: body });
        else if ((m = /^Client (\S+) disconnected: Connection timed out\./.exec(body))) this.events.push({ t, kind: 'timed-out', clientId: m[1], text: body });
        else if ((m = /^Client (\S+) closed its connection\./.exec(body))) this.events.push({ t, kind: 'conn-lost', clientId: m[1], text: body });
        else if ((m = /^(?:Socket error on client|Client) (\S+), disconnecting\./.exec(body))) this.events.push({ t, kind: 'conn-lost', clientId: m[1], text: body });
        else if ((m = /^Client (\S+) disconnected: (.*)\./.exec(body))) this.events.push({ t, kind: 'conn-lost', clientId: m[1], text: body });
        else this.events.push({ t, kind: 'log', text: body });
      }
    };
    p.child.stderr!.on('data', () => setImmediate(scan));
  }

  private watchAedes(p: NsProcess): void {
    let seen = 0;
    p.child.stdout!.on('data', () => setImmediate(() => {
      for (; seen < p.lines.length; seen++) {
        const j = p.lines[seen] as { t: number; ev: string; clientId?: string; message?: string };
        if (j.ev === 'keepaliveTimeout') this.events.push({ t: j.t, kind: 'ka-expired', clientId: j.clientId, text: 'keepaliveTimeout' });
        else if (j.ev === 'clientError') this.events.push({ t: j.t, kind: /ETIMEDOUT/.test(j.message ?? '') ? 'timed-out' : 'conn-lost', clientId: j.clientId, text: j.message ?? '' });
        else this.events.push({ t: j.t, kind: 'log', clientId: j.clientId, text: JSON.stringify(j) });
      }
    }));
  }

  /** The process dies (power loss of its host). */
  kill(): void { this.proc?.kill(); }

  /** The process crashes; returns the wall-clock ms of the SIGKILL (processes.ts `crash`). */
  crash(): number { return this.proc?.crash() ?? wallMs(); }

  /** SIGSTOP / SIGCONT (scenario `pause` / `resume`); returns the wall-clock ms of the signal. */
  signal(sig: 'SIGSTOP' | 'SIGCONT'): number { return this.proc?.signal(sig) ?? wallMs(); }

  async stop(): Promise<void> { await this.proc?.stop('SIGTERM', 2000); }

  log(): string {
    return (this.proc?.errLines ?? []).map((l) => l.text).join('\n');
  }
}
