/**
 * Scenario file, version 1 (CONTRACT.md section 2), as typed data.
 *
 * `ScenarioV1` is what a valid file contains (optional keys may be absent). `parseScenario`
 * (scenario/parse.ts) is the only code that trusts nothing; everything after it is typed.
 * `ResolvedScenario` is the same data with every default applied, which is what the
 * simulator runs. Units are last in names: `...Ms` milliseconds, `...Seconds` seconds.
 */
import type { HostTcpSettings, HostTcpSpec } from '../tcp/settings.ts';

export type { HostTcpSettings, HostTcpSpec, KernelProfileName } from '../tcp/settings.ts';

export type ProtocolVersion = '3.1.1' | '5.0';
export type BrokerProfileName = 'spec' | 'mosquitto-2.0' | 'aedes';
export type ClientProfileName = 'mqttjs-5' | 'paho-python';
export type QoS = 0 | 1 | 2;
export type Direction = 'both' | 'a->b' | 'b->a';
/**
 * How a proxy closes an idle flow (links[].proxyClose, net/proxy.ts): FIN to both ends
 * (HAProxy's default), RST to both, or FIN to the client and RST to the broker (HAProxy with
 * `option nolinger`, measured in test/kernel/proxy-idle.test.ts).
 */
export type ProxyClose = 'fin' | 'rst' | 'rst-to-broker';

export interface WillSpec {
  topic: string;
  payload: string;
  qos?: QoS;
  retain?: boolean;
  delaySeconds?: number;
}

export interface SubscriptionSpec { topic: string; qos?: QoS }

export interface PublishSpec {
  topic: string;
  payload: string;
  qos?: QoS;
  retain?: boolean;
  everyMs: number;
  startMs?: number;
}

export interface ClientSpec {
  id: string;
  clientId?: string;
  protocol?: ProtocolVersion;
  library?: ClientProfileName;
  keepAliveSeconds?: number;
  cleanStart?: boolean;
  sessionExpirySeconds?: number;
  will?: WillSpec;
  subscriptions?: SubscriptionSpec[];
  publish?: PublishSpec[];
  /** A time, or (client groups only) a window over which the members' first connects spread. */
  connectAtMs?: number | ConnectWindow;
  reconnect?: ReconnectSpec | false;
  /**
   * Extension: firmware that pings at its own interval, whatever keep-alive it declares:
   * PINGREQ timing (and giving up on PINGRESP) runs on this many ms instead of K; false: it
   * never sends PINGREQ (it still sends what it publishes).
   */
  pingIntervalMs?: number | false;
  /**
   * Version 1 extension (client groups): this entry stands for `count` clients, ids
   * `<id>-<n>` and ClientIds `<clientId>-<n>`, n from 1 zero-padded to the width of `count`.
   */
  count?: number;
  /** Extension: SO_KEEPALIVE on the client's socket (Linux defaults 7200/75/9). */
  tcpKeepAlive?: TcpKeepAliveSpec | false;
  /** Version 1 extension: the client host's TCP settings (kernel profile and sysctls). */
  tcp?: HostTcpSpec;
}

/** A window of first connects (client groups): each member draws a time in [fromMs, toMs]. */
export interface ConnectWindow { fromMs: number; toMs: number }

export interface TcpKeepAliveSpec { idleSeconds?: number; intervalSeconds?: number; probes?: number }

export interface BrokerSpec {
  id: string;
  profile?: BrokerProfileName;
  serverKeepAliveSeconds?: number;
  maxKeepAliveSeconds?: number;
  /** Extension: SO_KEEPALIVE on accepted sockets. */
  tcpKeepAlive?: TcpKeepAliveSpec | false;
  /** Version 1 extension: the broker host's TCP settings (kernel profile and sysctls). */
  tcp?: HostTcpSpec;
  /** Version 1 extension: the broker's on-disk store (mosquitto `persistence`, `autosave_interval`). */
  persistence?: PersistenceSpec;
}

export interface PersistenceSpec { enabled?: boolean; autosaveIntervalSeconds?: number; autosaveAfterChanges?: number }

export interface LinkSpec {
  between: [string, string];
  latencyMs?: number;
  jitterMs?: number;
  /** Version 1 extension: the latency in integer microseconds, instead of `latencyMs`. */
  latencyUs?: number;
  /** Version 1 extension: the jitter in integer microseconds, instead of `jitterMs`. */
  jitterUs?: number;
  loss?: number;
  natIdleTimeoutMs?: number;
  /**
   * Extension: a TCP-terminating proxy / load balancer on the link closes a flow after this
   * long without data either way, sending `proxyClose` (default "fin") to both ends (net/proxy.ts).
   */
  proxyIdleTimeoutMs?: number;
  proxyClose?: ProxyClose;
}

/**
 * A client's own reconnect policy (scenario `reconnect`, replacing its library's): the first
 * wait `delayMs`, each further wait since the last accepted CONNACK multiplied by `backoff`
 * (default 1: fixed) up to `maxDelayMs` (default: no cap below a day), then shortened by a
 * random part of up to `jitter` of itself (0..1, default 0; 1 is "full jitter"), drawn from
 * the client's own seeded stream (mqtt/client/policy.ts).
 */
export interface ReconnectSpec { delayMs: number; backoff?: number; maxDelayMs?: number; jitter?: number }

export type Action =
  | { atMs: number; do: 'power-off' | 'power-on' | 'crash' | 'restart' | 'connect' | 'pause' | 'resume'; node: string }
  /** Version 1 extension: the broker process is stopped in order (SIGTERM); `restart` starts it again. */
  | { atMs: number; do: 'stop'; node: string }
  | { atMs: number; do: 'disconnect'; node: string; reasonCode?: number }
  | { atMs: number; do: 'cut' | 'heal'; link: [string, string]; direction?: Direction }
  /** Extension: the link's NAT forgets every flow at once (a group's link: every member's). */
  | { atMs: number; do: 'nat-flush'; link: [string, string] }
  | {
      atMs: number; do: 'set-link'; link: [string, string];
      latencyMs?: number; jitterMs?: number; loss?: number;
      /**
       * Version 1 extension, in a file only: resolveScenario turns them into `latencyMs` /
       * `jitterMs` (us / 1000), so a resolved action never carries them.
       */
      latencyUs?: number; jitterUs?: number;
    }
  | {
      atMs: number; do: 'publish'; node: string; topic: string; payload: string;
      qos: QoS; retain?: boolean;
    };

export type ActionKind = Action['do'];

export interface Expectation {
  kind: string;
  where?: Record<string, string | number | boolean | null>;
  count?: number;
  atLeast?: number;
  none?: boolean;
  betweenMs?: [number, number];
}

export interface ScenarioV1 {
  format: 'halfopen/scenario';
  version: 1;
  name: string;
  description?: string;
  seed?: number;
  durationMs: number;
  broker: BrokerSpec;
  clients: ClientSpec[];
  links?: LinkSpec[];
  actions?: Action[];
  expect?: Expectation[];
}

export type Scenario = ScenarioV1;

/** Defaults applied; what the simulator runs. */
export interface ResolvedClient {
  id: string;
  clientId: string;
  protocol: ProtocolVersion;
  library: ClientProfileName;
  keepAliveSeconds: number;
  cleanStart: boolean;
  sessionExpirySeconds: number;
  will: Required<WillSpec> | null;
  subscriptions: Required<SubscriptionSpec>[];
  publish: Required<PublishSpec>[];
  /** The first connect; for a group member with a window, the window's start (see connectWindow). */
  connectAtMs: number;
  /**
   * Client groups: the window the runner draws this member's first connect from (seeded
   * stream "connect-window", in client order), or null for a fixed connectAtMs.
   */
  connectWindow: ConnectWindow | null;
  /** null = use the library profile's default. false = never reconnect. */
  reconnect: Required<ReconnectSpec> | false | null;
  /**
   * Extension: absent (or null): pings follow the keep-alive in force; a number: every that
   * many ms; false: never. Present only when the file gives it.
   */
  pingIntervalMs?: number | false | null;
  tcpKeepAlive: Required<TcpKeepAliveSpec> | null;
  /** The client host's TCP settings: kernel profile defaults, overridden key by key. */
  tcp: HostTcpSettings;
}

export interface ResolvedLink {
  between: [string, string];
  /** One-way latency in ms; fractional when the file gave `latencyUs` (50 us → 0.05). */
  latencyMs: number;
  /** Jitter in ms; fractional when the file gave `jitterUs`. */
  jitterMs: number;
  loss: number;
  natIdleTimeoutMs: number | null;
  /**
   * Extension: a proxy that closes idle flows (net/proxy.ts). resolveScenario sets both when
   * the file gives `proxyIdleTimeoutMs` (absent: no proxy), so older files resolve as before.
   */
  proxyIdleTimeoutMs?: number | null;
  proxyClose?: ProxyClose;
}

export interface ResolvedScenario {
  name: string;
  description: string;
  seed: number;
  durationMs: number;
  broker: {
    id: string;
    profile: BrokerProfileName;
    serverKeepAliveSeconds: number | null;
    maxKeepAliveSeconds: number | null;
    tcpKeepAlive: Required<TcpKeepAliveSpec> | null;
    /** The broker host's TCP settings: kernel profile defaults, overridden key by key. */
    tcp: HostTcpSettings;
    /** The broker's store (null: none, as without `persistence` or with `enabled: false`). */
    persistence: { autosaveIntervalSeconds: number; autosaveAfterChanges: number | null } | null;
  };
  clients: ResolvedClient[];
  /** One entry per client, in client order (defaults filled in for clients without one). */
  links: ResolvedLink[];
  /** Sorted by atMs, ties in file order; a set-link's `latencyUs`/`jitterUs` are given as ...Ms. */
  actions: Action[];
  expect: Expectation[];
}
