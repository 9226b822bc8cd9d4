/**
 * What the newer scenario keys mean, in plain words, with their type, range and default: the
 * tables the app's editor draws its forms from (and a reader of a scenario file can trust),
 * so the app never restates a rule of the simulator in its own words.
 *
 * The keys are the validator's own lists (parse.ts, parse-persistence.ts) and the ranges its
 * bounds (LIMITS); test/scenario/field-docs.test.ts checks that every key of those lists is
 * described here once and that each range equals the one the JSON Schema (json-schema.ts,
 * generated from the same tables) gives. Defaults come from where the simulator takes them:
 * the kernel profile (tcp/settings.ts), DEFAULTS (resolve.ts), the library profile.
 */
import { DEFAULT_KERNEL, KERNEL_PROFILES } from '../tcp/settings.ts';
import type { KernelProfileName } from '../tcp/settings.ts';
import { DEFAULTS } from './resolve.ts';
import { KERNEL_PROFILE_NAMES, LIMITS, PROXY_CLOSES } from './limits.ts';

export interface FieldDoc {
  key: string;
  /** A short label for a form. */
  label: string;
  /** The JSON value: an integer or number in [min, max], true/false, or one of `values`. */
  type: 'integer' | 'number' | 'boolean' | 'enum';
  min?: number;
  max?: number;
  values?: readonly string[];
  /** Unit of a number, for the label ("ms", "s"). */
  unit?: string;
  /** What applies when the key is absent, in words. */
  default: string;
  /** What it means for a user, in one or two plain sentences. */
  help: string;
  /** The Linux sysctl or library option it stands for, when there is one. */
  source?: string;
}

/** `broker.tcp` and `clients[].tcp` (HOST_TCP_KEYS), with the defaults of `kernel`. */
export function hostTcpDocs(kernel: KernelProfileName = DEFAULT_KERNEL): FieldDoc[] {
  const d = KERNEL_PROFILES[kernel].defaults;
  return [
    { key: 'kernel', label: 'Kernel profile', type: 'enum', values: KERNEL_PROFILE_NAMES, default: DEFAULT_KERNEL,
      help: 'Which Linux version this host runs; it sets the default of every setting below (they differ in how SYNs are retried).' },
    { key: 'retries2', label: 'Data retries (tcp_retries2)', type: 'integer', min: 0, max: LIMITS.tcpRetries2, default: String(d.retries2),
      help: 'How long the kernel keeps resending data nobody acknowledges before it declares the connection dead. ' +
        'The default 15 means about 15 minutes (924.6 s); a smaller number makes a dead peer noticed sooner.',
      source: 'net.ipv4.tcp_retries2' },
    { key: 'synRetries', label: 'SYN retries (tcp_syn_retries)', type: 'integer', min: LIMITS.tcpSynRetriesMin, max: LIMITS.maxTcpSyncnt,
      default: String(d.synRetries), help: 'How many times a connecting host resends its SYN when nothing answers, before connect() fails.',
      source: 'net.ipv4.tcp_syn_retries' },
    { key: 'synackRetries', label: 'SYN-ACK retries', type: 'integer', min: 0, max: LIMITS.tcpSynackRetries, default: String(d.synackRetries),
      help: 'How many times a listening host resends its SYN-ACK to a peer that has not finished the handshake.',
      source: 'net.ipv4.tcp_synack_retries' },
    { key: 'synLinearTimeouts', label: 'Linear SYN timeouts', type: 'integer', min: 0, max: LIMITS.maxTcpSyncnt, default: String(d.synLinearTimeouts),
      help: 'The first this-many SYN retries come 1 s apart instead of doubling (Linux 6.5 and later).',
      source: 'net.ipv4.tcp_syn_linear_timeouts' },
    { key: 'orphanRetries', label: 'Orphan retries', type: 'integer', min: 0, max: LIMITS.tcpOrphanRetries, default: `${d.orphanRetries} (= 8)`,
      help: 'Retries for a connection the application has already closed; 0 means 8.',
      source: 'net.ipv4.tcp_orphan_retries' },
    { key: 'userTimeoutMs', label: 'User timeout', unit: 'ms', type: 'integer', min: 0, max: LIMITS.tcpUserTimeoutMs,
      default: `${d.userTimeoutMs} (off)`,
      help: 'If set, the connection is dropped once sent data has gone unacknowledged this long, whatever the retries say. 0 = off.',
      source: 'TCP_USER_TIMEOUT socket option' },
    { key: 'lossProbes', label: 'Tail loss probes', type: 'boolean', default: String(d.lossProbes),
      help: 'Resend the last segment early when its acknowledgement is late, before the normal retransmission timer.',
      source: 'net.ipv4.tcp_early_retrans (RACK-TLP)' },
    { key: 'somaxconn', label: 'Accept queue cap (somaxconn)', type: 'integer', min: 0, max: LIMITS.somaxconn, default: String(d.somaxconn),
      help: 'The most connections that may wait, handshake done, for the broker to accept them. When it is full, new ones are dropped or reset.',
      source: 'net.core.somaxconn' },
    { key: 'maxSynBacklog', label: 'SYN queue (tcp_max_syn_backlog)', type: 'integer', min: 0, max: LIMITS.maxSynBacklog,
      default: String(d.maxSynBacklog), help: 'How many half-finished handshakes a listener keeps; it only matters with SYN cookies off.',
      source: 'net.ipv4.tcp_max_syn_backlog' },
    { key: 'syncookies', label: 'SYN cookies', type: 'enum', values: ['0', '1', '2'], default: String(d.syncookies),
      help: '0 off; 1 when the SYN queue is full, answer with a cookie instead of keeping state; 2 always.',
      source: 'net.ipv4.tcp_syncookies' },
    { key: 'abortOnOverflow', label: 'Reset on full queue', type: 'boolean', default: String(d.abortOnOverflow),
      help: 'When the accept queue is full, answer a finished handshake with RST (the client hears at once) instead of dropping it silently.',
      source: 'net.ipv4.tcp_abort_on_overflow' },
  ];
}

/** `tcpKeepAlive` (TCP_KEEPALIVE_KEYS), when given as an object. */
export const TCP_KEEPALIVE_DOCS: readonly FieldDoc[] = [
  { key: 'idleSeconds', label: 'Idle before probing', unit: 's', type: 'integer', min: 1, max: LIMITS.tcpKeepIdleSeconds,
    default: String(DEFAULTS.tcpKeepAlive.idleSeconds), help: 'After this long without traffic the kernel starts sending keepalive probes.',
    source: 'TCP_KEEPIDLE' },
  { key: 'intervalSeconds', label: 'Between probes', unit: 's', type: 'integer', min: 1, max: LIMITS.tcpKeepIntervalSeconds,
    default: String(DEFAULTS.tcpKeepAlive.intervalSeconds), help: 'Time between two unanswered keepalive probes.', source: 'TCP_KEEPINTVL' },
  { key: 'probes', label: 'Probes', type: 'integer', min: 1, max: LIMITS.tcpKeepProbes,
    default: String(DEFAULTS.tcpKeepAlive.probes), help: 'Unanswered probes before the kernel closes the connection.', source: 'TCP_KEEPCNT' },
];

/** `clients[].reconnect` (RECONNECT_KEYS), when given as an object. */
export const RECONNECT_DOCS: readonly FieldDoc[] = [
  { key: 'delayMs', label: 'First wait', unit: 'ms', type: 'integer', min: 1, max: LIMITS.reconnectDelayMs, default: 'required',
    help: 'How long the client waits after losing its connection before it tries again (the reconnect period).' },
  { key: 'backoff', label: 'Backoff factor', type: 'number', min: 1, max: LIMITS.reconnectBackoff, default: '1 (a fixed period)',
    help: 'Each failed try multiplies the wait by this; 2 doubles it every time.' },
  { key: 'maxDelayMs', label: 'Longest wait', unit: 'ms', type: 'integer', min: 1, max: LIMITS.reconnectDelayMs,
    default: 'no cap (a day)', help: 'The wait never grows beyond this.' },
  { key: 'jitter', label: 'Jitter (0..1)', type: 'number', min: 0, max: 1, default: '0 (none)',
    help: 'Randomises each wait by up to this fraction, so many devices do not all retry at the same instant.' },
];

/** `broker.persistence` (PERSISTENCE_KEYS). */
export const PERSISTENCE_DOCS: readonly FieldDoc[] = [
  { key: 'enabled', label: 'Keep a store on disk', type: 'boolean', default: 'true (when persistence is given)',
    help: 'The broker saves sessions and retained messages to disk, and reads them back when it starts.', source: 'mosquitto persistence' },
  { key: 'autosaveIntervalSeconds', label: 'Save every', unit: 's', type: 'integer', min: 0, max: LIMITS.autosaveIntervalSeconds,
    default: String(DEFAULTS.autosaveIntervalSeconds),
    help: 'How often the store is written. 0: only when the broker is stopped in order (SIGTERM); a crash loses everything since.',
    source: 'mosquitto autosave_interval' },
  { key: 'autosaveAfterChanges', label: 'Save after changes', type: 'integer', min: 1, max: LIMITS.count, default: 'not used',
    help: 'Instead of a timer, save once this many changes were made. Give this or "Save every", not both.',
    source: 'mosquitto autosave_on_changes' },
];

/** Links' middlebox keys (part of LINK_KEYS): a NAT that forgets, or a proxy that closes. */
export const LINK_MIDDLEBOX_DOCS: readonly FieldDoc[] = [
  { key: 'natIdleTimeoutMs', label: 'NAT idle timeout', unit: 'ms', type: 'integer', min: 1, max: LIMITS.durationMs, default: 'no NAT',
    help: 'A home router or carrier NAT on this link forgets a connection after this long without traffic; later segments of it are dropped silently.' },
  { key: 'proxyIdleTimeoutMs', label: 'Proxy idle timeout', unit: 'ms', type: 'integer', min: 1, max: LIMITS.durationMs, default: 'no proxy',
    help: 'A load balancer on this link closes a connection after this long without data. Not together with a NAT.' },
  { key: 'proxyClose', label: 'Proxy closes with', type: 'enum', values: PROXY_CLOSES, default: 'fin',
    help: 'fin: a normal close to both ends; rst: a reset to both; rst-to-broker: FIN to the client, RST to the broker.' },
];

/** Clients' keys beyond the MQTT options (part of CLIENT_KEYS): groups and the ping timer. */
export const CLIENT_EXTRA_DOCS: readonly FieldDoc[] = [
  { key: 'count', label: 'Devices in this group', type: 'integer', min: 1, max: LIMITS.clients, default: '1 (a single device)',
    help: 'This entry stands for that many identical devices, named <id>-01, <id>-02 …; their ClientIds are numbered the same way.' },
  { key: 'pingIntervalMs', label: 'PINGREQ every', unit: 'ms', type: 'integer', min: 1, max: LIMITS.durationMs, default: 'the keep-alive',
    help: 'When the client sends PINGREQ if idle. Absent: as its library does from the keep-alive; a number: every that many ms; "never": a device that never pings.' },
];

/** What each object of keys above is about, in one sentence (the heading of a form section). */
export const SECTION_DOCS = {
  tcp: 'How this host\'s kernel runs TCP: how long it retries before giving up on a silent peer, and how many connections its listen queues hold. Empty = the kernel profile\'s default.',
  tcpKeepAlive: 'The kernel\'s own idle check (SO_KEEPALIVE), separate from MQTT\'s keep-alive: it probes an idle connection and closes it when the probes go unanswered. Off unless given.',
  persistence: 'Whether the broker writes sessions and retained messages to disk, and reads back its last save when it starts again.',
  count: 'One entry for many identical devices, each with its own TCP connection and MQTT session.',
  reconnect: 'What the client does after losing its connection, and when it sends PINGREQ.',
} as const;
