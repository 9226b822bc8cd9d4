/**
 * A host's TCP settings: the Linux sysctls and socket options that decide how a connection
 * fails (CONTRACT.md "Version 1 extensions": `broker.tcp`, `clients[].tcp`), and the kernel
 * profiles that set their defaults.
 *
 * Each value means what the Linux sysctl of that name means (Documentation/networking/
 * ip-sysctl.rst); the simulator's TCP (connection.ts) reads them where Linux does:
 * - `retries2`: tcp_write_timeout() → retransmits_timed_out(sk, tcp_retries2, 0), a time
 *   budget tcp_model_timeout(retries2, TCP_RTO_MIN) since the first unacknowledged send.
 * - `synRetries`, `synLinearTimeouts`: tcp_write_timeout() in SYN-SENT gives up after
 *   synRetries + synLinearTimeouts retransmissions; tcp_retransmit_timer() keeps the SYN RTO
 *   at its initial 1 s for the first synLinearTimeouts backoffs (commit ccce324, Linux 6.5).
 * - `synackRetries`: the passive side's SYN-ACK retransmissions (inet_csk_reqsk_queue_prune).
 * - `orphanRetries`: tcp_orphan_retries(): 0 (the default) means 8 while the socket is alive.
 * - `userTimeoutMs`: the socket's TCP_USER_TIMEOUT (RFC 5482); 0 = off.
 * - `lossProbes`: RACK-TLP tail loss probes (tcp_early_retrans = 3 with SACK, the default).
 * - `somaxconn`, `maxSynBacklog`, `syncookies`, `abortOnOverflow`: net.core.somaxconn,
 *   tcp_max_syn_backlog, tcp_syncookies, tcp_abort_on_overflow, which decide what a listener
 *   does with a SYN or a handshake's last ACK when its queues are full (listen-queue.ts).
 */

export type KernelProfileName = 'linux-6.1' | 'linux-6.12';

export interface HostTcpSettings {
  kernel: KernelProfileName;
  retries2: number;
  synRetries: number;
  synackRetries: number;
  synLinearTimeouts: number;
  orphanRetries: number;
  /** TCP_USER_TIMEOUT in ms; 0 = not set (the retries2 budget decides). */
  userTimeoutMs: number;
  lossProbes: boolean;
  /** net.core.somaxconn: listen()'s backlog is capped to it (__sys_listen). */
  somaxconn: number;
  /** tcp_max_syn_backlog: with syncookies off, the last quarter of it is kept for proven peers. */
  maxSynBacklog: number;
  /** tcp_syncookies: 0 off, 1 when the SYN queue is full, 2 always. */
  syncookies: 0 | 1 | 2;
  /** tcp_abort_on_overflow: answer a handshake's last ACK with RST when the accept queue is full. */
  abortOnOverflow: boolean;
}

/** What a scenario may give under `tcp` (every key optional; `kernel` sets the defaults of the rest). */
export type HostTcpSpec = Partial<HostTcpSettings>;

export interface KernelProfile {
  name: KernelProfileName;
  defaults: Omit<HostTcpSettings, 'kernel'>;
  /**
   * Whether a FIN waits for room in the congestion window like data. Before Linux 6.10,
   * tcp_cwnd_test() let "the final FIN" out whatever the window ("Don't be strict about the
   * congestion window for the final FIN"); commit "tcp: remove dubious FIN exception from
   * tcp_cwnd_test()" (E. Dumazet, net-next April 2024, Linux 6.10) removed it, so a socket
   * closed in loss recovery (cwnd 1, its head unacknowledged) puts no FIN on the wire.
   */
  finWaitsForCwnd: boolean;
  source: string;
}

/** ip-sysctl.rst defaults both profiles share; they differ only where the kernel changed. */
const LINUX_DEFAULTS: KernelProfile['defaults'] = {
  retries2: 15, synRetries: 6, synackRetries: 5, synLinearTimeouts: 0, orphanRetries: 0,
  userTimeoutMs: 0, lossProbes: true,
  // somaxconn 4096 since Linux 5.4 (commit 19f92a030ca6 "net: increase SOMAXCONN to 4096");
  // tcp_syncookies 1 and tcp_abort_on_overflow 0 (ip-sysctl.rst). tcp_max_syn_backlog is
  // computed at boot, max(128, ehash buckets / 128) (tcp_ipv4.c tcp_sk_init), so it depends
  // on memory: 2048 is what the kernel suite's machine reads (6.18, test/kernel); it only
  // matters with tcp_syncookies 0.
  somaxconn: 4096, maxSynBacklog: 2048, syncookies: 1, abortOnOverflow: false,
};

/** Kernel profiles (CONTRACT.md section 4). The default stays what version 1 files meant. */
export const KERNEL_PROFILES: Record<KernelProfileName, KernelProfile> = {
  'linux-6.1': {
    name: 'linux-6.1',
    defaults: LINUX_DEFAULTS,
    finWaitsForCwnd: false,
    source: 'Debian 12 (Linux 6.1): ip-sysctl.rst defaults tcp_retries2 15, tcp_syn_retries 6, ' +
      'tcp_synack_retries 5, tcp_orphan_retries 0 (= 8), tcp_early_retrans 3 (RACK-TLP); ' +
      'no tcp_syn_linear_timeouts (added in 6.5), so SYNs at 0, 1, 3, 7, 15, 31, 63 s',
  },
  'linux-6.12': {
    name: 'linux-6.12',
    defaults: { ...LINUX_DEFAULTS, synLinearTimeouts: 4 },
    finWaitsForCwnd: true,
    source: 'Linux 6.5 and later (commit ccce324 "tcp: make the first N SYN RTO backoffs linear"): ' +
      'tcp_syn_linear_timeouts 4, so SYNs 1 s apart five times, then doubling (ip-sysctl.rst: ' +
      '1, 1, 1, 1, 1, 2, 4, …); and (6.10+) a FIN that waits for the congestion window; ' +
      'measured on Linux 6.18 in test/kernel',
  },
};

export const DEFAULT_KERNEL: KernelProfileName = 'linux-6.1';

/** The settings a host runs with: the kernel profile's defaults, overridden key by key. */
export function resolveHostTcp(spec: HostTcpSpec | undefined): HostTcpSettings {
  const kernel = spec?.kernel ?? DEFAULT_KERNEL;
  const d = KERNEL_PROFILES[kernel].defaults;
  return {
    kernel,
    retries2: spec?.retries2 ?? d.retries2,
    synRetries: spec?.synRetries ?? d.synRetries,
    synackRetries: spec?.synackRetries ?? d.synackRetries,
    synLinearTimeouts: spec?.synLinearTimeouts ?? d.synLinearTimeouts,
    orphanRetries: spec?.orphanRetries ?? d.orphanRetries,
    userTimeoutMs: spec?.userTimeoutMs ?? d.userTimeoutMs,
    lossProbes: spec?.lossProbes ?? d.lossProbes,
    somaxconn: spec?.somaxconn ?? d.somaxconn,
    maxSynBacklog: spec?.maxSynBacklog ?? d.maxSynBacklog,
    syncookies: spec?.syncookies ?? d.syncookies,
    abortOnOverflow: spec?.abortOnOverflow ?? d.abortOnOverflow,
  };
}
