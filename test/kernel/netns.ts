/**
 * A small world of Linux network namespaces for one experiment (one world per experiment, so
 * experiments run side by side without seeing each other):
 *
 *   switch namespace  `ho-<pid>-<exp>-sw`: bridge br0 (the capture point and the place where
 *                     link faults are injected, nft family `bridge`, hook forward)
 *   one namespace per host `ho-<pid>-<exp>-<node>`: eth0 (veth, fixed MAC) on the bridge,
 *                     198.18.0.x/16, static (permanent) neighbour entries for every other host
 *                     on the LAN, so a silent peer never stops the sender's segments at ARP
 *   a NAT router per client behind NAT `ho-<pid>-<exp>-<node>-nat`: eth0 on the bridge,
 *                     eth1 to the client (198.19.<i>.0/24), masquerade, conntrack with
 *                     tcp_loose = 0 and `ct state invalid drop`
 *
 * Addresses are only from 198.18.0.0/15 and exist only inside namespaces made here; nothing is
 * configured in the root namespace (veth pairs are created directly inside their namespaces).
 * Every namespace made is recorded and deleted by `destroy()`, by the process exit handlers
 * (installExitCleanup) and, for runs that died, by `sweepStale()` at the next start.
 */
import { execFile, execFileSync, spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { promisify } from 'node:util';

const execFileP = promisify(execFile);

/** Every namespace this process created and has not deleted yet. */
const live = new Set<string>();

export const NS_PREFIX = 'ho-';

export async function sh(cmd: string, args: string[], input?: string): Promise<string> {
  if (input !== undefined) {
    return new Promise((resolve, reject) => {
      const child = execFile(cmd, args, { maxBuffer: 64 << 20 }, (err, stdout, stderr) => {
        if (err) reject(new Error(`${cmd} ${args.join(' ')}: ${stderr || err.message}\n${input}`));
        else resolve(stdout);
      });
      child.stdin!.end(input);
    });
  }
  try {
    const { stdout } = await execFileP(cmd, args, { maxBuffer: 64 << 20 });
    return stdout;
  } catch (err) {
    const e = err as Error & { stderr?: string };
    throw new Error(`${cmd} ${args.join(' ')}: ${e.stderr || e.message}`);
  }
}

/** A command inside a namespace, at real-time priority (faults must land when scheduled). */
export const inNs = (ns: string, cmd: string, args: string[], input?: string) =>
  sh('ip', ['netns', 'exec', ns, 'chrt', '-r', '10', cmd, ...args], input);

/**
 * A bash kept running inside a namespace (real-time priority): a fault is then one fork/exec
 * of `nft` (a few ms) instead of `ip netns exec` from the harness (setns, a new mount
 * namespace, remounting /sys: tens to hundreds of ms on a loaded machine).
 */
export class NsShell {
  private child: ChildProcess;
  private queue: Promise<unknown> = Promise.resolve();
  private out = '';
  private waiter: ((s: string) => void) | null = null;

  constructor(ns: string) {
    this.child = spawn('ip', ['netns', 'exec', ns, 'chrt', '-r', '10', 'bash', '--noprofile', '--norc'], { stdio: ['pipe', 'pipe', 'inherit'] });
    this.child.stdout!.on('data', (d: Buffer) => {
      this.out += d.toString();
      const m = /__HO_DONE__ (\d+)\n/.exec(this.out);
      if (m && this.waiter) {
        const text = this.out.slice(0, m.index);
        this.out = this.out.slice(m.index + m[0].length);
        const w = this.waiter;
        this.waiter = null;
        w(`${m[1]}\n${text}`);
      }
    });
  }

  /** Runs one command line; resolves with its output, rejects on a non-zero exit. */
  run(cmd: string): Promise<string> {
    const next = this.queue.then(() => new Promise<string>((resolve, reject) => {
      this.waiter = (s) => {
        const i = s.indexOf('\n');
        const code = Number(s.slice(0, i));
        const text = s.slice(i + 1);
        if (code === 0) resolve(text); else reject(new Error(`${cmd}: exit ${code}: ${text}`));
      };
      this.child.stdin!.write(`${cmd} 2>&1; echo "__HO_DONE__ $?"\n`);
    }));
    this.queue = next.catch(() => undefined);
    return next;
  }

  close(): void {
    this.child.stdin!.end();
    if (this.child.pid !== undefined && this.child.exitCode === null) { try { process.kill(this.child.pid, 'SIGKILL'); } catch { /* gone */ } }
  }
}

/** Names of all namespaces on the machine. */
function listNamespaces(): string[] {
  const r = spawnSync('ip', ['netns', 'list'], { encoding: 'utf8' });
  return r.stdout.split('\n').map((l) => l.split(' ')[0]!).filter(Boolean);
}

function pidAlive(pid: number): boolean {
  try { process.kill(pid, 0); return true; } catch (e) { return (e as NodeJS.ErrnoException).code === 'EPERM'; }
}

/** Kill the processes still inside a namespace we own (by their pids), then delete it. */
function deleteNamespaceSync(ns: string): void {
  const pids = spawnSync('ip', ['netns', 'pids', ns], { encoding: 'utf8' }).stdout.split('\n').filter(Boolean).map(Number);
  for (const pid of pids) { try { process.kill(pid, 'SIGKILL'); } catch { /* gone */ } }
  spawnSync('ip', ['netns', 'del', ns]);
}

/**
 * Remove `ho-<pid>-…` namespaces whose creating process is gone (a run killed before its
 * cleanup). Namespaces of live processes (other runs) are left alone.
 */
export function sweepStale(): string[] {
  const removed: string[] = [];
  for (const ns of listNamespaces()) {
    const m = /^ho-(\d+)-/.exec(ns);
    if (!m) continue;
    const pid = Number(m[1]);
    if (pid === process.pid || pidAlive(pid)) continue;
    deleteNamespaceSync(ns);
    removed.push(ns);
  }
  return removed;
}

/** Delete every namespace this process made (synchronous: usable in 'exit' handlers). */
export function cleanupAllSync(): void {
  for (const ns of [...live]) { deleteNamespaceSync(ns); live.delete(ns); }
}

let exitHooks = false;
/** Namespaces are deleted on normal exit, on Ctrl-C, on SIGTERM (e.g. a vitest timeout kill). */
export function installExitCleanup(): void {
  if (exitHooks) return;
  exitHooks = true;
  process.on('exit', cleanupAllSync);
  for (const sig of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) {
    process.once(sig, () => { cleanupAllSync(); process.exit(130); });
  }
}

async function addNs(ns: string): Promise<void> {
  live.add(ns);
  await sh('ip', ['netns', 'add', ns]);
  await sh('ip', ['-n', ns, 'link', 'set', 'lo', 'up']);
}

/** Kill what is left inside (by pid) and delete the namespace, without blocking the event loop. */
async function delNs(ns: string): Promise<void> {
  const pids = (await sh('ip', ['netns', 'pids', ns]).catch(() => '')).split('\n').filter(Boolean).map(Number);
  for (const pid of pids) { try { process.kill(pid, 'SIGKILL'); } catch { /* gone */ } }
  await sh('ip', ['netns', 'del', ns]).catch(() => undefined);
  live.delete(ns);
}

export interface HostSpec {
  node: string;
  /** The client sits behind its own NAT router with this conntrack established timeout. */
  natIdleTimeoutMs?: number;
  /** Sysctls to set in the host's namespace (names without the `net.ipv4.` prefix). */
  sysctls?: Record<string, number>;
}

export interface Host {
  node: string;
  index: number;
  ns: string;
  /** The address the broker sees (the router's for a host behind NAT). */
  lanIp: string;
  /** The host's own address. */
  ip: string;
  mac: string;
  /** Bridge port name in the switch namespace. */
  port: string;
  nat: { ns: string; innerIp: string; timeoutS: number } | null;
  sysctls: Record<string, number>;
  /** Boots so far; the n-th boot's namespace is `<base>` then `<base>-b<n>`. */
  boots: number;
  base: string;
}

export const TCP_SYSCTLS = [
  'tcp_retries2', 'tcp_syn_retries', 'tcp_synack_retries', 'tcp_syn_linear_timeouts',
  'tcp_orphan_retries', 'tcp_early_retrans', 'tcp_retries1', 'tcp_sack', 'tcp_recovery',
  'tcp_max_syn_backlog', 'tcp_syncookies', 'tcp_abort_on_overflow', 'net.core.somaxconn',
] as const;

/** A sysctl's full name: those without a dot are net.ipv4's. */
const sysctlName = (k: string) => (k.includes('.') ? k : `net.ipv4.${k}`);

/** One experiment's world. */
export class World {
  readonly sw: string;
  readonly hosts = new Map<string, Host>();
  private rules = new Map<string, number[]>();
  private exp: string;
  private shell: NsShell | null = null;

  constructor(exp: string) {
    this.exp = exp.replace(/[^a-zA-Z0-9]/g, '').slice(0, 12);
    this.sw = `${NS_PREFIX}${process.pid}-${this.exp}-sw`;
  }

  async create(): Promise<void> {
    await addNs(this.sw);
    await inNs(this.sw, 'sysctl', ['-qw', 'net.bridge.bridge-nf-call-iptables=0']).catch(() => undefined);
    await sh('ip', ['-n', this.sw, 'link', 'add', 'br0', 'type', 'bridge']);
    // No spanning tree delay, no ageing surprises: ports forward at once.
    await sh('ip', ['-n', this.sw, 'link', 'set', 'br0', 'type', 'bridge', 'forward_delay', '0', 'stp_state', '0']);
    await sh('ip', ['-n', this.sw, 'link', 'set', 'br0', 'up']);
    this.shell = new NsShell(this.sw);
    await inNs(this.sw, 'nft', ['-f', '-'], [
      'table bridge ho {',
      '  chain f {',
      '    type filter hook forward priority 0; policy accept;',
      '  }',
      '}',
      '',
    ].join('\n'));
  }

  /** Declare the hosts (addresses are fixed by order), then `bootHost` each. */
  declare(specs: HostSpec[]): void {
    specs.forEach((s, i) => {
      const index = i + 1;
      const hex = index.toString(16).padStart(2, '0');
      const natIdx = index;
      const nat = s.natIdleTimeoutMs !== undefined
        ? { ns: `${NS_PREFIX}${process.pid}-${this.exp}-${s.node}-nat`, innerIp: `198.19.${natIdx}.2`, timeoutS: Math.max(1, Math.round(s.natIdleTimeoutMs / 1000)) }
        : null;
      this.hosts.set(s.node, {
        node: s.node, index,
        ns: `${NS_PREFIX}${process.pid}-${this.exp}-${s.node}`,
        base: `${NS_PREFIX}${process.pid}-${this.exp}-${s.node}`,
        boots: 0,
        ip: nat ? nat.innerIp : `198.18.0.${index}`,
        lanIp: `198.18.0.${index}`,
        mac: `02:48:4f:00:00:${hex}`,
        port: `v${index}`,
        nat,
        sysctls: s.sysctls ?? {},
      });
    });
  }

  host(node: string): Host {
    const h = this.hosts.get(node);
    if (!h) throw new Error(`no host ${node}`);
    return h;
  }

  /**
   * Create (or re-create, as after a reboot) a host's namespace: no TCP state survives. With
   * `wireUp: false` the host is prepared but its bridge port stays down until `wireUp(node)`
   * (a reboot is prepared while the host is "off", so that power-on is one command).
   */
  async bootHost(node: string, opts: { wireUp?: boolean } = {}): Promise<void> {
    const h = this.host(node);
    h.boots += 1;
    h.ns = h.boots === 1 ? h.base : `${h.base}-b${h.boots}`;
    if (h.nat) {
      if (opts.wireUp === false) throw new Error('a host behind NAT cannot be prepared with its wire down');
      if (!live.has(h.nat.ns)) await this.bootRouter(h);
      await addNs(h.ns);
      await sh('ip', ['link', 'add', 'eth0', 'netns', h.ns, 'type', 'veth', 'peer', 'name', 'eth1', 'netns', h.nat.ns]);
      await sh('ip', ['-n', h.nat.ns, 'addr', 'add', `${h.nat.innerIp.replace(/\.2$/, '.1')}/24`, 'dev', 'eth1']);
      await sh('ip', ['-n', h.nat.ns, 'link', 'set', 'eth1', 'up']);
      await sh('ip', ['-n', h.ns, 'addr', 'add', `${h.nat.innerIp}/24`, 'dev', 'eth0']);
      await sh('ip', ['-n', h.ns, 'link', 'set', 'eth0', 'up']);
      await sh('ip', ['-n', h.ns, 'route', 'add', 'default', 'via', h.nat.innerIp.replace(/\.2$/, '.1')]);
    } else {
      await addNs(h.ns);
      await this.plugIntoBridge(h.ns, h, opts.wireUp ?? true);
    }
    for (const [k, v] of Object.entries(h.sysctls)) await inNs(h.ns, 'sysctl', ['-qw', `${sysctlName(k)}=${v}`]);
  }

  private async plugIntoBridge(ns: string, h: Host, up = true): Promise<void> {
    await sh('ip', ['link', 'add', 'eth0', 'netns', ns, 'address', h.mac, 'type', 'veth', 'peer', 'name', h.port, 'netns', this.sw]);
    await sh('ip', ['-n', this.sw, 'link', 'set', h.port, 'master', 'br0']);
    if (up) await sh('ip', ['-n', this.sw, 'link', 'set', h.port, 'up']);
    await sh('ip', ['-n', ns, 'addr', 'add', `${h.lanIp}/16`, 'dev', 'eth0']);
    await sh('ip', ['-n', ns, 'link', 'set', 'eth0', 'up']);
    for (const other of this.hosts.values()) {
      if (other === h) continue;
      await sh('ip', ['-n', ns, 'neigh', 'replace', other.lanIp, 'lladdr', other.mac, 'dev', 'eth0', 'nud', 'permanent']);
    }
  }

  private async bootRouter(h: Host): Promise<void> {
    const nat = h.nat!;
    await addNs(nat.ns);
    await this.plugIntoBridge(nat.ns, h);
    await inNs(nat.ns, 'sysctl', ['-qw', 'net.ipv4.ip_forward=1']);
    await inNs(nat.ns, 'nft', ['-f', '-'], [
      'table ip nat {',
      '  chain post {',
      '    type nat hook postrouting priority 100; policy accept;',
      '    oifname "eth0" masquerade',
      '  }',
      '}',
      'table inet filt {',
      '  chain forward_filter {',
      '    type filter hook forward priority 0; policy accept;',
      '    ct state invalid drop',
      '  }',
      '}',
      '',
    ].join('\n'));
    // Conntrack's sysctls exist in the namespace once the tables above loaded it.
    await inNs(nat.ns, 'sysctl', ['-qw', 'net.netfilter.nf_conntrack_tcp_loose=0']);
    await inNs(nat.ns, 'sysctl', ['-qw', `net.netfilter.nf_conntrack_tcp_timeout_established=${nat.timeoutS}`]);
  }

  /** Bring a prepared host's bridge port up (the moment a rebooted host is back on the wire). */
  async wireUp(node: string): Promise<void> {
    await this.shell!.run(`ip link set ${this.host(node).port} up`);
  }

  /** Delete a host's namespace (power-off / the first half of a reboot). */
  async destroyHost(node: string): Promise<void> {
    const h = this.host(node);
    // Cut the wire first: a namespace whose sockets still hold it can outlive `ip netns del`
    // and keep retransmitting; deleting one end of the veth pair removes both.
    if (h.nat) await sh('ip', ['-n', h.nat.ns, 'link', 'del', 'eth1']).catch(() => undefined);
    else await this.shell!.run(`ip link del ${h.port}`).catch(() => undefined);
    await delNs(h.ns);
  }

  /** The real sysctls of a host's namespace, as the kernel reports them. */
  async readSysctls(node: string): Promise<Record<string, number | null>> {
    const out: Record<string, number | null> = {};
    const h = this.host(node);
    for (const k of TCP_SYSCTLS) {
      const v = await inNs(h.ns, 'sysctl', ['-n', sysctlName(k)]).catch(() => null);
      out[k] = v === null ? null : Number(v.trim());
    }
    return out;
  }

  async routerConntrack(node: string): Promise<Record<string, number>> {
    const h = this.host(node);
    if (!h.nat) return {};
    const get = async (k: string) => Number((await inNs(h.nat!.ns, 'sysctl', ['-n', `net.netfilter.${k}`])).trim());
    return {
      nf_conntrack_tcp_loose: await get('nf_conntrack_tcp_loose'),
      nf_conntrack_tcp_timeout_established: await get('nf_conntrack_tcp_timeout_established'),
    };
  }

  /** Add bridge-forward drop rules in ONE nft transaction (they take effect together). */
  private async addRule(tag: string, ...matches: string[]): Promise<void> {
    const cmds = matches.map((m) => `add rule bridge ho f ${m} drop`).join(' \\; ');
    const out = await this.shell!.run(`nft -e -a ${cmds}`);
    const handles = [...out.matchAll(/# handle (\d+)/g)].map((m) => Number(m[1]));
    if (handles.length !== matches.length) throw new Error(`nft gave ${handles.length} handles for ${matches.length} rules: ${out}`);
    this.rules.set(tag, [...(this.rules.get(tag) ?? []), ...handles]);
  }

  private async dropRules(tag: string): Promise<void> {
    const hs = this.rules.get(tag) ?? [];
    if (hs.length > 0) await this.shell!.run(`nft ${hs.map((h) => `delete rule bridge ho f handle ${h}`).join(' \\; ')}`);
    this.rules.delete(tag);
  }

  /** Silently drop every frame from → to, for each pair, in one transaction. */
  async cut(pairs: [string, string][]): Promise<void> {
    const tag = (p: [string, string]) => `cut:${p[0]}>${p[1]}`;
    await this.addRule(pairs.map(tag).join(','), ...pairs.map(([f, t]) => `iifname ${this.host(f).port} oifname ${this.host(t).port}`));
    // Remember each pair's handles under its own tag, so that heal can take one direction back.
    const all = this.rules.get(pairs.map(tag).join(','))!;
    this.rules.delete(pairs.map(tag).join(','));
    pairs.forEach((p, i) => this.rules.set(tag(p), [...(this.rules.get(tag(p)) ?? []), all[i]!]));
  }

  async heal(pairs: [string, string][]): Promise<void> {
    for (const [f, t] of pairs) await this.dropRules(`cut:${f}>${t}`);
  }

  /** Random loss (probability p, 0..1) on frames from `from` to `to`. */
  async setLoss(from: string, to: string, p: number): Promise<void> {
    await this.dropRules(`loss:${from}>${to}`);
    const pct = Math.round(p * 100);
    if (pct <= 0) return;
    // `lt`, not `<`: the rule goes through a bash (NsShell), where `<` is a redirection.
    await this.addRule(`loss:${from}>${to}`, `iifname ${this.host(from).port} oifname ${this.host(to).port} numgen random mod 100 lt ${pct}`);
  }

  /** Everything into and out of a host's port is dropped (the first step of a power-off). */
  async isolate(node: string): Promise<void> {
    const port = this.host(node).port;
    await this.addRule(`off:${node}`, `iifname ${port}`, `oifname ${port}`);
  }

  async unisolate(node: string): Promise<void> {
    await this.dropRules(`off:${node}`);
  }

  /** Delete every namespace of this world. */
  async destroy(): Promise<void> {
    this.shell?.close();
    const mine = `${NS_PREFIX}${process.pid}-${this.exp}-`;
    for (const ns of [...live]) if (ns.startsWith(mine) && ns !== this.sw) await delNs(ns);
    if (live.has(this.sw)) await delNs(this.sw);
  }
}

/** The running kernel's release, e.g. "6.18.44-…". */
export function kernelRelease(): string {
  return execFileSync('uname', ['-r'], { encoding: 'utf8' }).trim();
}

/** linux-6.12 (syn linear timeouts exist) from 6.5 on, else linux-6.1. */
export function kernelProfileFor(release: string): 'linux-6.1' | 'linux-6.12' {
  const [maj, min] = release.split(/[.-]/).map(Number);
  return (maj! > 6 || (maj === 6 && min! >= 5)) ? 'linux-6.12' : 'linux-6.1';
}
