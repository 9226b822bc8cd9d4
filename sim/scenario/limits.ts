/**
 * Names and bounds of scenario format v1 that the validator enforces.
 *
 * The bounds keep a hostile or mistaken file from hanging a browser tab: the file is read
 * whole before anything runs. They are generous for real use (the benchmark runs 100,000
 * clients); a run's length is further bounded by RunOptions.maxEvents.
 */
import { KERNEL_PROFILES } from '../tcp/settings.ts';
import type { KernelProfileName } from '../tcp/settings.ts';
import type { BrokerProfileName, ClientProfileName, Direction, ProtocolVersion } from './types.ts';

export const FORMAT = 'halfopen/scenario';

export const BROKER_PROFILE_NAMES: readonly BrokerProfileName[] = ['spec', 'mosquitto-2.0', 'aedes'];
export const CLIENT_PROFILE_NAMES: readonly ClientProfileName[] = ['mqttjs-5', 'paho-python'];
export const PROTOCOLS: readonly ProtocolVersion[] = ['3.1.1', '5.0'];
export const DIRECTIONS: readonly Direction[] = ['both', 'a->b', 'b->a'];
/** links[].proxyClose (types.ts ProxyClose, net/proxy.ts). */
export const PROXY_CLOSES = ['fin', 'rst', 'rst-to-broker'];
/** `tcp.kernel` (CONTRACT.md section 4): the profiles of sim/tcp/settings.ts. */
export const KERNEL_PROFILE_NAMES: readonly KernelProfileName[] = Object.keys(KERNEL_PROFILES) as KernelProfileName[];

const DAY_MS = 86_400_000;

export const LIMITS = {
  /** Characters of scenario text read at all (64 Mi). */
  textChars: 64 * 1024 * 1024,
  /** Bytes of a scenario file read at all (64 MiB): readers stop there, never read more. */
  textBytes: 64 * 1024 * 1024,
  nameChars: 200,
  /** `$schema`: a path or URL of the JSON Schema, for editors. */
  schemaRefChars: 2048,
  descriptionChars: 20_000,
  clients: 100_000,
  links: 100_000,
  actions: 100_000,
  expect: 1_000,
  subscriptionsPerClient: 100,
  publishPerClient: 100,
  whereKeys: 50,
  whereStringChars: 10_000,
  kindChars: 100,
  clientIdChars: 256,
  payloadChars: 100_000,
  /** 7 days of virtual time. */
  durationMs: 7 * DAY_MS,
  /** One-way latency and jitter: at most an hour. */
  linkMs: 3_600_000,
  /** The same hour in microseconds (`latencyUs`, `jitterUs`). */
  linkUs: 3_600_000_000,
  reconnectDelayMs: DAY_MS,
  /** The largest reconnect backoff factor (a wait grows to maxDelayMs within a few attempts anyway). */
  reconnectBackoff: 10,
  /** Expectation counts. */
  count: 1_000_000_000,
  /** Seeds are 32-bit unsigned integers. */
  seed: 4_294_967_295,
  /** MQTT Two Byte Integer (Keep Alive, Server Keep Alive). */
  u16: 65_535,
  /** MQTT Four Byte Integer (Session Expiry, Will Delay). */
  u32: 4_294_967_295,
  /** Linux MAX_TCP_KEEPIDLE / MAX_TCP_KEEPINTVL / MAX_TCP_KEEPCNT (include/net/tcp.h). */
  tcpKeepIdleSeconds: 32_767,
  tcpKeepIntervalSeconds: 32_767,
  tcpKeepProbes: 127,
  /**
   * Host TCP settings (`tcp`), the ranges Linux's sysctl handlers accept (net/ipv4/
   * sysctl_net_ipv4.c): tcp_retries2, tcp_synack_retries and tcp_orphan_retries are u8
   * (proc_dou8vec_minmax, 0 … 255); tcp_syn_retries is 1 … MAX_TCP_SYNCNT (127, include/net/
   * tcp.h); tcp_syn_linear_timeouts 0 … MAX_TCP_SYNCNT. TCP_USER_TIMEOUT is a non-negative int
   * (do_tcp_setsockopt refuses val < 0), so at most 2^31 - 1 ms.
   */
  tcpRetries2: 255,
  tcpSynRetriesMin: 1,
  maxTcpSyncnt: 127,
  tcpSynackRetries: 255,
  tcpOrphanRetries: 255,
  tcpUserTimeoutMs: 2_147_483_647,
  /**
   * Listen queues (sysctl_net_core.c, sysctl_net_ipv4.c): somaxconn and tcp_max_syn_backlog
   * are ints (proc_dointvec; somaxconn with a minimum of 0), tcp_syncookies is a u8 read as
   * 0, 1 or 2 (ip-sysctl.rst; other values behave as 1, so they are refused here).
   */
  somaxconn: 2_147_483_647,
  maxSynBacklog: 2_147_483_647,
  /** `broker.persistence.autosaveIntervalSeconds`: at most the longest run (7 days). */
  autosaveIntervalSeconds: 604_800,
} as const;

/** A byte count in words: 67108864 → "64 MiB", 1536 → "1.5 KiB", 10 → "10 bytes". */
export function sizeInWords(bytes: number): string {
  const units = ['bytes', 'KiB', 'MiB', 'GiB'];
  let n = bytes;
  let u = 0;
  while (n >= 1024 && u < units.length - 1) { n /= 1024; u++; }
  const text = u === 0 ? String(n) : String(Math.round(n * 10) / 10);
  return `${text} ${units[u]}`;
}

/**
 * Node names appear in connection ids ("sensor/1"), in the trace and in captures, so they are
 * kept to a plain alphabet without "/".
 */
export const NODE_ID = /^[A-Za-z0-9_][A-Za-z0-9_.:-]{0,63}$/;
export const NODE_ID_RULE =
  'must be 1 to 64 letters, digits, "_", ".", ":" or "-", not starting with "." ":" or "-"';
