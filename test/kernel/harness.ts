/**
 * Runs a scenario file on real kernels: one world of namespaces (netns.ts), the real broker
 * (brokers.ts), one MQTT.js process per client host (client.mjs), a Will watcher in the broker's
 * namespace over 127.0.0.1 (so no fault touches it), tshark on the bridge, and the scenario's
 * actions as real faults at their times:
 *
 *   power-off  the host's bridge port drops everything, its processes are SIGKILLed, its
 *              namespace is deleted (no process, no TCP state, nothing on the wire)
 *   power-on   the namespace is created again (fresh TCP state: old connections get RST), the
 *              process starts again (a client connects at once)
 *   crash      SIGKILL with the link up (the kernel sends FIN, or RST when data was unread)
 *   restart    the process starts again
 *   cut/heal   bridge drop rules per direction (nft, family bridge, hook forward)
 *   set-link   `loss` as random drops (nft numgen) in both directions
 *   connect / disconnect / publish: commands to the client process
 *
 * The host TCP settings of the scenario (`broker.tcp`, `clients[].tcp`) are set as the
 * namespaces' sysctls; what the kernel then reports (and `uname -r`) is returned as `hostTcp`,
 * for the simulated side to run with (simulated.ts).
 */
import { mkdtempSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { RealBrokerProcess, findMosquitto, type BrokerImpl } from './brokers.ts';
import { Capture, MQTT_TYPES, type Frame } from './capture.ts';
import { World, kernelProfileFor, kernelRelease } from './netns.ts';
import { markRetransmissions, type Ev, type Observation, type Seg } from './observation.ts';
import { NsProcess, RT_PRIORITY, wallMs } from './processes.ts';
import { spawnSync } from 'node:child_process';

const root = fileURLToPath(new URL('../../', import.meta.url));
const clientProgram = path.join(root, 'test/kernel/client.mjs');
const pahoProgram = path.join(root, 'test/kernel/paho-client.py');
/** Debian's python3-paho-mqtt lives in the system Python, not in a pyenv or venv one. */
export const SYSTEM_PYTHON = '/usr/bin/python3';

/** The raw scenario JSON, as much of it as the real side reads. */
export interface ScenarioJson {
  name: string;
  durationMs: number;
  broker: { id: string; profile?: string; tcp?: TcpJson; persistence?: { enabled?: boolean; autosaveIntervalSeconds?: number; autosaveAfterChanges?: number } };
  clients: ClientJson[];
  links?: LinkJson[];
  actions?: ActionJson[];
  [k: string]: unknown;
}
export interface TcpJson {
  kernel?: string; retries2?: number; synRetries?: number; synackRetries?: number; synLinearTimeouts?: number;
  orphanRetries?: number; userTimeoutMs?: number; lossProbes?: boolean;
  somaxconn?: number; maxSynBacklog?: number; syncookies?: number; abortOnOverflow?: boolean;
}
export interface ClientJson {
  id: string; clientId?: string; protocol?: '3.1.1' | '5.0'; library?: string; keepAliveSeconds?: number;
  cleanStart?: boolean; sessionExpirySeconds?: number;
  will?: { topic: string; payload: string; qos?: number; retain?: boolean; delaySeconds?: number };
  subscriptions?: { topic: string; qos?: number }[];
  publish?: { topic: string; payload: string; qos?: number; retain?: boolean; everyMs: number; startMs?: number }[];
  connectAtMs?: number; reconnect?: { delayMs: number } | false; tcp?: TcpJson;
}
export interface LinkJson {
  between: [string, string]; latencyMs?: number; latencyUs?: number; jitterMs?: number; jitterUs?: number;
  loss?: number; natIdleTimeoutMs?: number;
}
export type ActionJson = { atMs: number; do: string; node?: string; link?: [string, string]; direction?: string;
  topic?: string; payload?: string; qos?: number; retain?: boolean; reasonCode?: number; loss?: number; latencyMs?: number };

/** Host TCP settings as the running kernel has them, in the scenario's `tcp` shape. */
export type HostTcp = Required<Omit<TcpJson, 'userTimeoutMs'>> & { userTimeoutMs?: number };

export interface RealResult {
  obs: Observation;
  hostTcp: Record<string, HostTcp>;
  sysctls: Record<string, Record<string, number | null>>;
  conntrack: Record<string, Record<string, number>>;
  kernel: string;
  brokerLog: string;
  /** The latest an action or connect ran after its planned time (ms): how busy the machine was. */
  maxLateMs: number;
  frames: number;
}

export function brokerImplOf(sc: ScenarioJson): BrokerImpl {
  if (sc.broker.profile === 'aedes') return 'aedes';
  if (sc.broker.profile === 'mosquitto-2.0') return 'mosquitto';
  throw new Error(`${sc.name}: broker profile ${sc.broker.profile ?? 'spec'} has no real broker (use mosquitto-2.0 or aedes)`);
}

const SYSCTL_OF: Record<string, string> = {
  retries2: 'tcp_retries2', synRetries: 'tcp_syn_retries', synackRetries: 'tcp_synack_retries',
  synLinearTimeouts: 'tcp_syn_linear_timeouts', orphanRetries: 'tcp_orphan_retries',
  somaxconn: 'net.core.somaxconn', maxSynBacklog: 'tcp_max_syn_backlog', syncookies: 'tcp_syncookies',
};

function sysctlsFor(tcp: TcpJson | undefined): Record<string, number> {
  const out: Record<string, number> = {};
  if (!tcp) return out;
  for (const [k, v] of Object.entries(tcp)) {
    if (k === 'kernel') continue;
    if (k === 'lossProbes') { out.tcp_early_retrans = v ? 3 : 0; continue; }
    if (k === 'abortOnOverflow') { out.tcp_abort_on_overflow = v ? 1 : 0; continue; }
    // A socket option, not a sysctl: the Paho client sets it on its socket (paho-client.py).
    if (k === 'userTimeoutMs') continue;
    const s = SYSCTL_OF[k];
    if (!s) throw new Error(`tcp.${k} has no sysctl`);
    out[s] = v as number;
  }
  return out;
}

function hostTcpFrom(sys: Record<string, number | null>, kernel: 'linux-6.1' | 'linux-6.12'): HostTcp {
  return {
    kernel,
    retries2: sys.tcp_retries2 ?? 15,
    synRetries: sys.tcp_syn_retries ?? 6,
    synackRetries: sys.tcp_synack_retries ?? 5,
    // A kernel without the sysctl (before 6.5) behaves as 0.
    synLinearTimeouts: sys.tcp_syn_linear_timeouts ?? 0,
    orphanRetries: sys.tcp_orphan_retries ?? 0,
    lossProbes: (sys.tcp_early_retrans ?? 3) >= 3,
    somaxconn: sys['net.core.somaxconn'] ?? 4096,
    maxSynBacklog: sys.tcp_max_syn_backlog ?? 2048,
    syncookies: sys.tcp_syncookies ?? 1,
    abortOnOverflow: (sys.tcp_abort_on_overflow ?? 0) !== 0,
  };
}

/** Why the real side cannot run a scenario, or null. */
export function unsupportedReason(sc: ScenarioJson): string | null {
  try { brokerImplOf(sc); } catch (e) { return (e as Error).message; }
  for (const c of sc.clients) {
    const lib = c.library ?? 'mqttjs-5';
    if (lib !== 'mqttjs-5' && lib !== 'paho-python') return `client ${c.id}: library ${lib} has no real client here`;
    if (lib === 'paho-python' && c.protocol === '5.0') return `client ${c.id}: paho-python runs 3.1.1 only here`;
    if ('count' in c) return `client ${c.id}: client groups are not reproduced`;
    if ((c.tcp?.userTimeoutMs ?? 0) > 0 && lib !== 'paho-python') return `client ${c.id}: TCP_USER_TIMEOUT is set by the Paho client only (MQTT.js cannot set socket options)`;
  }
  if ((sc.broker.tcp?.userTimeoutMs ?? 0) > 0) return 'broker: mosquitto and aedes do not set TCP_USER_TIMEOUT';
  for (const l of sc.links ?? []) {
    if ((l.latencyMs ?? 0) > 1 || (l.jitterMs ?? 0) > 0 || (l.jitterUs ?? 0) > 0 || (l.latencyUs ?? 0) > 1000) {
      return `link ${l.between.join('-')}: latency/jitter cannot be added on this kernel (no netem); veth is ~25 µs one way`;
    }
  }
  return null;
}

let setupLock: Promise<void> = Promise.resolve();
let harnessPromoted = false;

interface ClientHost {
  c: ClientJson;
  proc: NsProcess | null;
}

export interface RunOptions {
  log?: (s: string) => void;
  /** Awaited once the world is ready, just before its clock starts (a barrier across a wave). */
  ready?: () => Promise<void>;
  /** Awaited after the run, before the capture is read (so parsing never competes with a run). */
  finished?: () => Promise<void>;
}

export async function runReal(sc: ScenarioJson, tag: string, opts: RunOptions = {}): Promise<RealResult> {
  const why = unsupportedReason(sc);
  if (why) throw new Error(`${sc.name}: ${why}`);
  // The harness schedules the faults: it must not be the one that runs late. SCHED_RR one
  // above the programs, with reset-on-fork so that what it spawns starts at normal priority.
  if (!harnessPromoted) {
    harnessPromoted = true;
    spawnSync('chrt', ['-a', '-R', '-r', '-p', String(RT_PRIORITY + 1), String(process.pid)], { stdio: 'ignore' });
  }
  const log = opts.log ?? (() => undefined);
  const impl = brokerImplOf(sc);
  const brokerId = sc.broker.id;
  const world = new World(tag);
  const dir = mkdtempSync(path.join(os.tmpdir(), `ho-${tag}-`));
  const natOf = (node: string) => (sc.links ?? []).find((l) => l.between.includes(node) && l.natIdleTimeoutMs !== undefined)?.natIdleTimeoutMs;
  world.declare([
    { node: brokerId, sysctls: sysctlsFor(sc.broker.tcp) },
    ...sc.clients.map((c) => ({ node: c.id, sysctls: sysctlsFor(c.tcp), natIdleTimeoutMs: natOf(c.id) })),
  ]);
  const events: Ev[] = [];
  const broker = new RealBrokerProcess(impl, findMosquitto(), sc.broker.persistence ?? null);
  const hosts = new Map<string, ClientHost>(sc.clients.map((c) => [c.id, { c, proc: null }]));
  let watcher: NsProcess | null = null;
  let standbyWatcher: Promise<void> = Promise.resolve();
  const standby = new Map<string, Promise<NsProcess>>();
  const prepared = new Map<string, Promise<void>>();
  const captures: Capture[] = [];
  const timers: NodeJS.Timeout[] = [];
  const allProcs: NsProcess[] = [];
  let t0 = 0;
  const rel = (t: number) => t - t0;

  const willTopics = [...new Set(sc.clients.flatMap((c) => (c.will ? [c.will.topic] : [])))];
  const startWatcher = async () => {
    if (willTopics.length === 0) return;
    const w = new NsProcess('watcher', world.host(brokerId).ns, process.execPath, [clientProgram, JSON.stringify({
      host: '127.0.0.1', port: 1883, subscriptions: willTopics.map((topic) => ({ topic, qos: 1 })),
      options: { clientId: `watcher-${tag}`, keepalive: 60, reconnectPeriod: 200, clean: true },
    })], { cwd: root });
    allProcs.push(w);
    watcher = w;
    await w.waitFor((j) => j.ev === 'ready', 15_000, 'watcher ready');
    w.promote();
    w.send({ cmd: 'connect' });
    await w.waitFor((j) => j.ev === 'packetreceive' && j.cmd === 'suback', 120_000, 'watcher SUBACK');
    w.child.stdout!.on('data', () => undefined);
  };

  const clientConfig = (c: ClientJson) => {
    const v5 = c.protocol === '5.0';
    const options: Record<string, unknown> = {
      protocolVersion: v5 ? 5 : 4,
      clientId: c.clientId ?? c.id,
      keepalive: c.keepAliveSeconds ?? 60,
      clean: c.cleanStart ?? true,
      reconnectPeriod: c.reconnect === false ? 0 : c.reconnect === undefined ? 1000 : c.reconnect.delayMs,
      connectTimeout: 30_000,
    };
    if (v5 && (c.sessionExpirySeconds ?? 0) > 0) options.properties = { sessionExpiryInterval: c.sessionExpirySeconds };
    if (c.will) {
      options.will = {
        topic: c.will.topic, payload: c.will.payload, qos: c.will.qos ?? 0, retain: c.will.retain ?? false,
        ...(v5 && (c.will.delaySeconds ?? 0) > 0 ? { properties: { willDelayInterval: c.will.delaySeconds } } : {}),
      };
    }
    const target = world.host(brokerId).lanIp;
    return { host: target, port: 1883, options, subscriptions: c.subscriptions ?? [] };
  };

  const pahoConfig = (c: ClientJson) => ({
    host: world.host(brokerId).lanIp, port: 1883, clientId: c.clientId ?? c.id, keepalive: c.keepAliveSeconds ?? 60,
    clean: c.cleanStart ?? true, will: c.will ?? null, subscriptions: c.subscriptions ?? [],
    // The paho-python profile: reconnect_delay_set(min_delay=1, max_delay=120), doubling.
    reconnect: c.reconnect === false ? null : c.reconnect === undefined ? { minMs: 1000, maxMs: 120_000 } : { minMs: c.reconnect.delayMs, maxMs: c.reconnect.delayMs },
    ...((c.tcp?.userTimeoutMs ?? 0) > 0 ? { userTimeoutMs: c.tcp!.userTimeoutMs } : {}),
  });

  const spawnClient = async (node: string): Promise<NsProcess> => {
    const h = hosts.get(node)!;
    const p = h.c.library === 'paho-python'
      ? new NsProcess(node, world.host(node).ns, SYSTEM_PYTHON, [pahoProgram, JSON.stringify(pahoConfig(h.c))], { cwd: root })
      : new NsProcess(node, world.host(node).ns, process.execPath, [clientProgram, JSON.stringify(clientConfig(h.c))], { cwd: root });
    allProcs.push(p);
    h.proc = p;
    p.child.stdout!.on('data', () => undefined);
    await p.waitFor((j) => j.ev === 'ready', 15_000, `${node} ready`);
    p.promote();
    return p;
  };

  const killHostProcs = (node: string) => {
    if (node === brokerId) { broker.kill(); watcher?.kill(); return; }
    hosts.get(node)?.proc?.kill();
  };

  const apply = async (a: ActionJson): Promise<void> => {
    const node = a.node!;
    switch (a.do) {
      case 'power-off': {
        const tOff = wallMs();
        await world.isolate(node);
        events.push({ t: rel(tOff), kind: 'action', do: a.do, node });
        off.push({ node, from: rel(tOff), to: Infinity });
        killHostProcs(node);
        await world.destroyHost(node);
        // Prepare the next boot now, in the background (fresh namespace, wire down, programs
        // loaded but idle), so that power-on is one command and not seconds of start-up.
        const prep = world.bootHost(node, { wireUp: false });
        prepared.set(node, prep);
        if (node === brokerId) standbyWatcher = prep.then(startWatcher); else standby.set(node, prep.then(() => spawnClient(node)));
        return;
      }
      case 'power-on': {
        const tOn = wallMs();
        for (const o of off) if (o.node === node && o.to === Infinity) o.to = rel(tOn);
        await prepared.get(node);
        await world.unisolate(node);
        await world.wireUp(node);
        events.push({ t: rel(tOn), kind: 'action', do: a.do, node });
        if (node === brokerId) { await broker.start(world.host(node).ns); await standbyWatcher; } else (await standby.get(node)!).send({ cmd: 'connect' });
        return;
      }
      case 'crash':
        if (node === brokerId) events.push({ t: rel(broker.crash()), kind: 'action', do: a.do, node });
        else {
          events.push({ t: rel(hosts.get(node)?.proc?.crash() ?? wallMs()), kind: 'action', do: a.do, node });
          // The replacement process starts a little later, so that its start-up (a fork of this
          // process, then Node loading) does not compete with the dying one's teardown.
          standby.set(node, new Promise((r) => setTimeout(r, 500)).then(() => spawnClient(node)));
        }
        return;
      case 'stop':
        // SIGTERM to the broker (the scenario allows `stop` on the broker only); wait for it to exit.
        events.push({ t: rel(wallMs()), kind: 'action', do: a.do, node });
        await broker.stop();
        return;
      case 'restart':
        events.push({ t: rel(wallMs()), kind: 'action', do: a.do, node });
        if (node === brokerId) await broker.start(world.host(node).ns); else (await standby.get(node)!).send({ cmd: 'connect' });
        return;
      case 'cut':
      case 'heal': {
        const [x, y] = a.link!;
        const dirs: [string, string][] = a.direction === 'a->b' ? [[x, y]] : a.direction === 'b->a' ? [[y, x]] : [[x, y], [y, x]];
        if (a.do === 'cut') await world.cut(dirs); else await world.heal(dirs);
        events.push({ t: rel(wallMs()), kind: 'action', do: a.do, text: `${a.link!.join('-')} ${a.direction ?? 'both'}` });
        return;
      }
      case 'set-link': {
        if (a.latencyMs !== undefined) throw new Error('set-link latency is not reproduced (no netem)');
        const [x, y] = a.link!;
        await world.setLoss(x, y, a.loss ?? 0);
        await world.setLoss(y, x, a.loss ?? 0);
        events.push({ t: rel(wallMs()), kind: 'action', do: a.do, text: `loss ${a.loss}` });
        return;
      }
      case 'pause':
      case 'resume':
        if (node !== brokerId) throw new Error(`${a.do} of a client is not reproduced`);
        events.push({ t: rel(broker.signal(a.do === 'pause' ? 'SIGSTOP' : 'SIGCONT')), kind: 'action', do: a.do, node });
        return;
      case 'connect':
        events.push({ t: rel(wallMs()), kind: 'action', do: a.do, node });
        hosts.get(node)?.proc?.send({ cmd: 'connect' });
        return;
      case 'disconnect':
        events.push({ t: rel(wallMs()), kind: 'action', do: a.do, node });
        hosts.get(node)?.proc?.send({ cmd: 'disconnect', reasonCode: a.reasonCode });
        return;
      case 'publish':
        events.push({ t: rel(wallMs()), kind: 'action', do: a.do, node });
        hosts.get(node)?.proc?.send({ cmd: 'publish', topic: a.topic, payload: a.payload, qos: a.qos, retain: a.retain });
        return;
      default:
        throw new Error(`action ${a.do} is not reproduced`);
    }
  };

  let maxLateMs = 0;
  const off: { node: string; from: number; to: number }[] = [];
  let release: () => void = () => undefined;
  try {
    // Worlds are built one at a time (starting tshark, brokers and Node processes is the
    // CPU-heavy part); the experiments themselves then run side by side.
    const prev = setupLock;
    setupLock = new Promise<void>((r) => { release = r; });
    await prev;
    await world.create();
    for (const h of world.hosts.values()) await world.bootHost(h.node);
    const kernel = kernelRelease();
    const profile = kernelProfileFor(kernel);
    const sysctls: Record<string, Record<string, number | null>> = {};
    const hostTcp: Record<string, HostTcp> = {};
    const conntrack: Record<string, Record<string, number>> = {};
    for (const h of world.hosts.values()) {
      sysctls[h.node] = await world.readSysctls(h.node);
      hostTcp[h.node] = hostTcpFrom(sysctls[h.node]!, profile);
      if (h.nat) conntrack[h.node] = await world.routerConntrack(h.node);
    }
    const cap = new Capture(world.sw, 'br0', dir);
    captures.push(cap);
    await cap.start();
    for (const h of world.hosts.values()) {
      if (h.nat) { const c = new Capture(h.nat.ns, 'eth1', mkdtempSync(path.join(dir, `${h.node}-`))); captures.push(c); await c.start(); }
    }
    await broker.start(world.host(brokerId).ns);
    await startWatcher();
    for (const c of sc.clients) await spawnClient(c.id);
    log(`${tag}: world ready`);
    release();
    await opts.ready?.();
    // Let the machine settle (the other worlds' setup) before the clock starts.
    await new Promise((r) => setTimeout(r, 300));

    // The scenario clock starts now.
    t0 = wallMs();
    const pending: Promise<void>[] = [];
    const at = (ms: number, fn: () => Promise<void> | void) => timers.push(setTimeout(() => {
      maxLateMs = Math.max(maxLateMs, rel(wallMs()) - ms);
      pending.push(Promise.resolve(fn()).catch((e) => { log(`${tag}: at ${ms} ms: ${(e as Error).message}`); throw e; }));
    }, Math.max(0, ms - rel(wallMs()))));
    for (const c of sc.clients) at(c.connectAtMs ?? 0, () => hosts.get(c.id)!.proc?.send({ cmd: 'connect' }));
    for (const c of sc.clients) {
      for (const p of c.publish ?? []) {
        for (let t = p.startMs ?? 0; t < sc.durationMs; t += p.everyMs) {
          at(t, () => hosts.get(c.id)!.proc?.send({ cmd: 'publish', topic: p.topic, payload: p.payload, qos: p.qos ?? 0, retain: p.retain ?? false }));
        }
      }
    }
    // Actions in order of atMs, ties in file order: one chain, each awaited before the next.
    let chain = Promise.resolve();
    const actions = [...(sc.actions ?? [])].map((a, i) => ({ a, i })).sort((p, q) => p.a.atMs - q.a.atMs || p.i - q.i);
    for (const { a } of actions) at(a.atMs, () => { chain = chain.then(() => apply(a)); return chain; });
    await new Promise<void>((resolve) => timers.push(setTimeout(resolve, sc.durationMs)));
    await Promise.allSettled(pending);
    await Promise.all(pending);
    const tEnd = rel(wallMs());

    for (const c of captures) await c.stop();
    // Program observations.
    for (const node of hosts.keys()) collectClient(node, allProcs.filter((p) => p.name === node), events, rel);
    // TCP_USER_TIMEOUT as the kernel reported it on the client's socket (getsockopt after setsockopt).
    for (const node of hosts.keys()) {
      const opt = allProcs.filter((p) => p.name === node).flatMap((p) => p.lines).filter((j) => j.ev === 'sockopt').at(-1);
      if (opt && hostTcp[node]) hostTcp[node]!.userTimeoutMs = opt.userTimeoutMs as number;
    }
    for (const w of allProcs.filter((p) => p.name === 'watcher')) {
      for (const j of w.lines) if (j.ev === 'message') events.push({ t: rel(j.t as number), kind: 'will', topic: j.topic as string, text: j.payload as string });
    }
    for (const e of broker.events) {
      if (e.kind === 'log') continue;
      events.push({ t: rel(e.t), kind: `broker.${e.kind}` as Ev['kind'], clientId: e.clientId, text: e.text });
    }
    events.sort((x, y) => x.t - y.t);
    for (const p of allProcs) p.kill();
    await broker.stop().catch(() => undefined);
    await opts.finished?.();
    const frames = await cap.read();
    // A powered-off host sends nothing: what its dying kernel emitted before its wire was
    // removed (isolated at the bridge, so nobody received it) is not part of the world.
    const segs = segsFromFrames(frames, world, brokerId, rel, 'lan')
      .filter((s) => s.t <= tEnd && !off.some((o) => o.node === s.from && s.t >= o.from && s.t < o.to));
    for (const c of captures.slice(1)) segs.push(...segsFromFrames(await c.read(), world, brokerId, rel, 'nat-inside').filter((s) => s.t <= tEnd));
    segs.sort((a, b) => a.t - b.t);
    markRetransmissions(segs);
    return {
      obs: { segs, events }, hostTcp, sysctls, conntrack, kernel, brokerLog: broker.log(),
      maxLateMs: Math.round(maxLateMs * 10) / 10, frames: frames.length,
    };
  } finally {
    release();
    for (const t of timers) clearTimeout(t);
    for (const p of allProcs) p.kill();
    await broker.stop().catch(() => undefined);
    for (const c of captures) await c.stop().catch(() => undefined);
    await world.destroy();
  }
}

function collectClient(node: string, procs: NsProcess[], events: Ev[], rel: (t: number) => number): void {
  for (const p of procs) {
    for (const j of p.lines) {
      const t = rel(j.t as number);
      switch (j.ev) {
        case 'connect': events.push({ t, kind: 'client.connected', node, sessionPresent: j.sessionPresent as boolean }); break;
        case 'error':
          if (j.message === 'Keepalive timeout') events.push({ t, kind: 'client.gave-up', node, text: j.message as string });
          else events.push({ t, kind: 'client.error', node, text: `${j.code ?? ''} ${j.message as string}` });
          break;
        case 'close': events.push({ t, kind: 'client.close', node }); break;
        case 'message': events.push({ t, kind: 'message', node, topic: j.topic as string, text: j.payload as string }); break;
        default: break;
      }
    }
  }
}

/** Frames on the bridge → segments between named hosts, connections numbered per client by SYN. */
export function segsFromFrames(frames: Frame[], world: World, brokerId: string, rel: (t: number) => number, where: 'lan' | 'nat-inside'): Seg[] {
  const byIp = new Map<string, string>();
  for (const h of world.hosts.values()) { byIp.set(h.lanIp, h.node); byIp.set(h.ip, h.node); }
  const brokerIp = world.host(brokerId).lanIp;
  const connOf = new Map<string, string>();
  const counts = new Map<string, number>();
  const segs: Seg[] = [];
  for (const f of frames) {
    const fromBroker = f.src === brokerIp;
    const clientIp = fromBroker ? f.dst : f.src;
    const clientPort = fromBroker ? f.dport : f.sport;
    const node = byIp.get(clientIp);
    if (!node || node === brokerId) continue;
    const key = `${clientIp}:${clientPort}`;
    let conn = connOf.get(key);
    if (conn === undefined || (f.flags === 'S' && !fromBroker && conn !== undefined && isNewSyn(segs, conn, f))) {
      const n = (counts.get(node) ?? 0) + 1;
      counts.set(node, n);
      conn = `${node}#${n}`;
      connOf.set(key, conn);
    }
    segs.push({
      t: rel(f.t), from: fromBroker ? brokerId : node, to: fromBroker ? node : brokerId, conn,
      flags: f.flags, seq: f.seq, ack: f.ack, len: f.len, mqtt: f.mqtt.map((m) => MQTT_TYPES[m] ?? String(m)), retx: false,
      ...(where === 'lan' ? {} : { where }),
    });
  }
  return segs;
}

/** A SYN on a 4-tuple seen before starts a new connection when its ISN differs (port reuse, e.g. after NAT). */
function isNewSyn(segs: Seg[], conn: string, f: Frame): boolean {
  const first = segs.find((s) => s.conn === conn && s.flags === 'S');
  return first !== undefined && first.seq !== f.seq;
}

/** A barrier for `n` parties: each calls `wait()`; all resolve when the n-th has called. */
export function barrier(n: number): { wait: () => Promise<void>; leave: () => void } {
  let count = 0;
  let open: () => void = () => undefined;
  const all = new Promise<void>((r) => { open = r; });
  const arrive = () => { count += 1; if (count >= n) open(); };
  return { wait: () => { arrive(); return all; }, leave: arrive };
}

/**
 * Runs experiments as one wave: worlds are built one after another, all clocks start together,
 * captures are parsed after every run of the wave ended. A failed run leaves the barriers.
 */
export async function runWave(items: { sc: ScenarioJson; tag: string }[], log?: (s: string) => void): Promise<PromiseSettledResult<RealResult>[]> {
  const ready = barrier(items.length);
  const finished = barrier(items.length);
  return Promise.allSettled(items.map(async ({ sc, tag }) => {
    let r = false;
    let f = false;
    try {
      return await runReal(sc, tag, {
        log,
        ready: () => { r = true; return ready.wait(); },
        finished: () => { f = true; return finished.wait(); },
      });
    } finally {
      if (!r) ready.leave();
      if (!f) finished.leave();
    }
  }));
}
