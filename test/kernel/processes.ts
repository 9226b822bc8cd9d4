/**
 * Processes inside a namespace: started with `ip netns exec` (which execs, so the pid we get is
 * the program's own), stopped by that pid only, their stdout read as JSON lines and their
 * stderr as log lines, each stamped with the wall clock (CLOCK_REALTIME in ms with µs, the
 * clock tshark's frame.time_epoch uses) when it arrived.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';

/** Wall-clock ms with sub-ms resolution, comparable across processes and with tshark. */
export const wallMs = (): number => performance.timeOrigin + performance.now();

/** SCHED_RR priority of the processes of an experiment (1 = lowest real-time priority). */
export const RT_PRIORITY = 10;

/**
 * Brokers run one real-time level above the clients, the watcher and the capture. The real
 * brokers the suite stands for run on machines of their own; here every host shares two cores,
 * and at SCHED_RR's 100 ms quantum a client's Node process busy at the same level (a standby
 * device promoted just after its start-up, still compiling and collecting on its helper
 * threads) kept mosquitto from reading a rebooted device's CONNECT for 44-86 ms in 3 of 8 runs
 * of the reboot-takeover wave (the capture shows the CONNECT as one segment ACKed by the kernel
 * at once, then nothing until the CONNACK). Equal to the harness's level: the broker sleeps
 * almost always, and the faults it is measured against must still land on time.
 */
export const BROKER_RT_PRIORITY = RT_PRIORITY + 1;

export interface LogLine { t: number; text: string }

export class NsProcess {
  readonly child: ChildProcess;
  readonly lines: Record<string, unknown>[] = [];
  readonly errLines: LogLine[] = [];
  private listeners: ((j: Record<string, unknown>) => void)[] = [];
  private errListeners: ((l: LogLine) => void)[] = [];
  readonly exited: Promise<void>;

  constructor(readonly name: string, ns: string, cmd: string, args: string[], opts: { cwd?: string; priority?: number } = {}) {
    // Timing-critical programs (brokers, clients, the watcher, the capture) run SCHED_RR once
    // they are up (`promote()`): other load on the machine must not delay their timers or
    // their reading of a segment, and they sleep almost all the time. They START at normal
    // priority, so that one program's start-up (Node: hundreds of ms of CPU) never stalls the
    // real-time programs of the experiments already running.
    this.child = spawn('ip', ['netns', 'exec', ns, cmd, ...args], { stdio: ['pipe', 'pipe', 'pipe'], cwd: opts.cwd });
    this.priority = opts.priority ?? RT_PRIORITY;
    this.exited = new Promise((resolve) => this.child.once('exit', () => resolve()));
    this.child.stdin!.on('error', () => undefined);
    let out = '';
    this.child.stdout!.on('data', (d: Buffer) => {
      out += d.toString();
      let i: number;
      while ((i = out.indexOf('\n')) >= 0) {
        const line = out.slice(0, i);
        out = out.slice(i + 1);
        if (!line.trim()) continue;
        let j: Record<string, unknown>;
        try { j = JSON.parse(line) as Record<string, unknown>; } catch { j = { ev: 'stdout', text: line, t: wallMs() }; }
        this.lines.push(j);
        for (const l of this.listeners) l(j);
      }
    });
    let err = '';
    this.child.stderr!.on('data', (d: Buffer) => {
      const t = wallMs();
      err += d.toString();
      let i: number;
      while ((i = err.indexOf('\n')) >= 0) {
        const l = { t, text: err.slice(0, i) };
        err = err.slice(i + 1);
        this.errLines.push(l);
        for (const f of this.errListeners) f(l);
      }
    });
  }

  /** Its SCHED_RR level once promoted. */
  private readonly priority: number;

  /** SCHED_RR for every thread of the program (call once it is ready). */
  promote(): void {
    if (this.pid === undefined || !this.running) return;
    spawn('chrt', ['-a', '-r', '-p', String(this.priority), String(this.pid)], { stdio: 'ignore' }).on('error', () => undefined);
  }

  get pid(): number | undefined { return this.child.pid; }
  get running(): boolean { return this.child.exitCode === null && this.child.signalCode === null; }

  send(cmd: Record<string, unknown>): void {
    if (this.running) this.child.stdin!.write(`${JSON.stringify(cmd)}\n`);
  }

  /** Resolves with the first JSON line that satisfies `pred` (also one already received). */
  waitFor(pred: (j: Record<string, unknown>) => boolean, timeoutMs: number, what: string): Promise<Record<string, unknown>> {
    const have = this.lines.find(pred);
    if (have) return Promise.resolve(have);
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`${this.name}: no ${what} within ${timeoutMs} ms\n${this.errLines.map((l) => l.text).join('\n')}`)), timeoutMs);
      const f = (j: Record<string, unknown>) => { if (pred(j)) { clearTimeout(timer); resolve(j); } };
      this.listeners.push(f);
      this.child.once('exit', (code) => { clearTimeout(timer); reject(new Error(`${this.name} exited (${code}) before ${what}\n${this.errLines.map((l) => l.text).join('\n')}`)); });
    });
  }

  waitForErr(pred: (text: string) => boolean, timeoutMs: number, what: string): Promise<LogLine> {
    const have = this.errLines.find((l) => pred(l.text));
    if (have) return Promise.resolve(have);
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`${this.name}: no ${what} within ${timeoutMs} ms\n${this.errLines.map((l) => l.text).join('\n')}`)), timeoutMs);
      this.errListeners.push((l) => { if (pred(l.text)) { clearTimeout(timer); resolve(l); } });
      this.child.once('exit', (code) => { clearTimeout(timer); reject(new Error(`${this.name} exited (${code}) before ${what}\n${this.errLines.map((l) => l.text).join('\n')}`)); });
    });
  }

  /** SIGSTOP / SIGCONT by pid (scenario `pause` / `resume`); returns the wall-clock ms of the signal. */
  signal(sig: 'SIGSTOP' | 'SIGCONT'): number {
    const t = wallMs();
    if (this.running && this.pid !== undefined) { try { process.kill(this.pid, sig); } catch { /* gone */ } }
    return t;
  }

  /** SIGKILL by pid (a crash, or the process dying with its host). */
  kill(): void {
    if (this.running && this.pid !== undefined) { try { process.kill(this.pid, 'SIGKILL'); } catch { /* gone */ } }
  }

  /**
   * A crash whose timing matters: every thread is made real-time first (threads the program
   * started after `promote()` are not), because the kernel closes the sockets (FIN) only once the
   * LAST thread has exited, and a normal-priority thread on a loaded machine can wait 200 ms for
   * a CPU. Returns the wall-clock ms of the SIGKILL.
   */
  crash(): number {
    if (this.pid !== undefined && this.running) {
      spawnSync('chrt', ['-a', '-r', '-p', String(this.priority), String(this.pid)], { stdio: 'ignore' });
    }
    const t = wallMs();
    this.kill();
    return t;
  }

  /** SIGINT/SIGTERM by pid, SIGKILL after `graceMs`. */
  async stop(signal: NodeJS.Signals = 'SIGTERM', graceMs = 2000): Promise<void> {
    if (!this.running || this.pid === undefined) return;
    try { process.kill(this.pid, signal); } catch { return; }
    const timer = setTimeout(() => this.kill(), graceMs);
    await this.exited;
    clearTimeout(timer);
  }
}
