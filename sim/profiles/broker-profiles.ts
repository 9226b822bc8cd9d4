/**
 * Broker behaviour profiles (CONTRACT.md section 4): plain data, one object per profile.
 *
 * Every field that differs between profiles carries a `source` naming the section of
 * shared/reference/behaviour.md and the upstream file or measurement behind it. The broker
 * code never asks "which profile is this?"; it reads these fields through the decision
 * functions in profiles/decisions.ts. Leaves out: EMQX, HiveMQ and VerneMQ (behaviour.md has
 * them; adding one is adding an object here).
 */
import type { BrokerProfileName } from '../scenario/types.ts';
import type { PersistenceModel } from './persistence.ts';

export interface Cited<T> { value: T; source: string }

/** How the broker decides a connection is idle for too long. */
export type KeepAliveModel =
  /** Deadline = last packet received + 1.5 K + extraUs, as one exact timer. */
  | { kind: 'exact'; extraUs: number }
  /**
   * Integer-second clock (`now_s`) ticking at `clockPhaseUs` past each whole second since
   * broker start; a scan runs when `now_s > lastScan_s + scanGapSeconds` and closes
   * connections with `now_s - lastIn_s > floor(1.5 K)`.
   */
  | { kind: 'scan'; scanGapSeconds: number; clockPhaseUs: number };

/**
 * What a broker does on SIGTERM (the `stop` action, mqtt/broker/stop.ts). Every kind ends with
 * the process gone and the kernel closing whatever is left.
 */
export type StopModel =
  /** No handler: the process dies as on a crash (no Will, no save; the kernel closes the sockets). */
  | { kind: 'dies' }
  /**
   * First the Will of every connected client and every delayed Will (all subscribers still
   * connected get them), then the store is saved (`broker.persistence`), then every connection
   * is closed (FIN after what it had to send).
   */
  | { kind: 'wills-then-close' }
  /**
   * The clients are closed one at a time, in the order they connected: at its turn a client's
   * subscriptions end and its socket is closed (FIN). Its Will goes out at its turn (reaching
   * the subscribers not yet closed) only if its client has no subscription and the Will is at
   * most `atTurnMaxQos` and not retained; any other Will is published after every client is
   * closed, so it reaches no connected client. Delayed Wills and the store are lost.
   */
  | {
    kind: 'close-in-turn'; atTurnMaxQos: 0 | 1 | 2;
    /**
     * The order of the turns: `connected`, the order the clients connected; `object-keys`, the
     * order of a JavaScript object's own keys keyed by ClientId (ECMA-262
     * OrdinaryOwnPropertyKeys): ClientIds that are array indices ("0" to "4294967294", written
     * canonically) first, in numeric order, then the others in the order they connected.
     */
    order: 'connected' | 'object-keys';
  };

/** What the broker does with a 3.1.1 takeover's old Will. */
export type TakeoverWill311 = 'always' | 'if-either-clean-session';
/** What the broker does with a 5.0 takeover's old Will. */
export type TakeoverWill5 = 'spec-table' | 'mosquitto-rule';
/** Which MQTT 5 DISCONNECT reason codes from a client delete the Will. */
export type DisconnectWillRule = 'only-0x00' | 'all-except-0x04';
/**
 * How long the broker waits for CONNECT on a new connection before closing it: a timer of its
 * own, the keep-alive check run with a default K (mosquitto), or no limit.
 */
export type ConnectWait =
  | { kind: 'timeout'; ms: number }
  | { kind: 'default-keep-alive'; seconds: number }
  | { kind: 'none' };
/**
 * A client with several subscriptions matching one message: one copy at the highest of their
 * QoS, only the first match (at its QoS), or one copy per match; `order` ranks the kind of
 * filter level the broker's subscription tree tries first at each level (lower first; `end`
 * is a filter that ends where the topic ends).
 */
export interface OverlapRule {
  v311: 'max-qos' | 'first-match' | 'each';
  v5: 'max-qos' | 'first-match' | 'each';
  order: { exact: number; plus: number; hash: number; end: number };
}
/** Keep-alive limit policy when `maxKeepAliveSeconds` is set. */
export type MaxKeepAlivePolicy =
  /** v5: Server Keep Alive = max; v3: accepted unchanged (the standard has no way to say it). */
  | 'server-keep-alive-v5'
  /** v5: Server Keep Alive = max (also for K=0); v3: CONNACK 0x02 identifier rejected. */
  | 'mosquitto'
  /** K=0 or K>limit: CONNACK return code 6 (non-standard), any version. */
  | 'aedes-reject-6';

export interface BrokerProfile {
  name: BrokerProfileName;
  summary: string;
  supportsV5: Cited<boolean>;
  keepAlive: Cited<KeepAliveModel>;
  connectWait: Cited<ConnectWait>;
  /**
   * QoS 1/2 messages held for an offline persistent session: at most `max`, and a full queue
   * refuses the new message (mosquitto); null = no limit of the broker's own (the simulator
   * still bounds each queue at MAX_QUEUED, dropping the oldest, to bound its memory).
   */
  offlineQueueLimit: Cited<{ max: number; drop: 'newest' } | null>;
  overlappingSubscriptions: Cited<OverlapRule>;
  /** Statement id cited when the keep-alive closes a 3.1.1 / 5.0 connection. */
  disconnect0x8DBeforeKeepAliveClose: Cited<boolean>;
  /** Publish the Will before closing the socket (true) or after (false). */
  willBeforeKeepAliveClose: Cited<boolean>;
  disconnect0x8EOnTakeover: Cited<boolean>;
  /** On takeover, publish (or drop) the old connection's Will before closing it (true) or after (false). */
  willBeforeTakeoverClose: Cited<boolean>;
  takeoverWill311: Cited<TakeoverWill311>;
  takeoverWill5: Cited<TakeoverWill5>;
  disconnectWill: Cited<DisconnectWillRule>;
  /** MQTT 5 Will Delay with SEI=0: true = publish at close (session ends), false = wait WDI. */
  willAtCloseWhenSessionEnds: Cited<boolean>;
  /** Reconnect with Clean Start=1 during a pending Will Delay: publish (session ends) or drop. */
  cleanStartDuringWillDelay: Cited<'publish' | 'discard'>;
  /** Will-delay and session-expiry clock: exact µs, or mosquitto's whole seconds with `<`. */
  sessionClock: Cited<'exact' | 'whole-seconds'>;
  /** Does `broker.serverKeepAliveSeconds` get sent to v5 clients? */
  serverKeepAliveOption: Cited<boolean>;
  maxKeepAlive: Cited<MaxKeepAlivePolicy>;
  /** When CONNACK says Session Present for a resumed session: whenever one exists
   *  ([MQTT-3.2.2-2]), or only when it holds stored subscriptions (aedes). */
  sessionPresent: Cited<'session-exists' | 'stored-subscriptions'>;
  /** The `stop` action (SIGTERM): what the process does before it exits (StopModel). */
  stop: Cited<StopModel>;
  /** The on-disk store `broker.persistence` turns on (persistence.ts); null: none modelled, a restart starts empty. */
  persistence: Cited<PersistenceModel | null>;
}

const B = 'behaviour.md';

export const BROKER_PROFILES: Record<BrokerProfileName, BrokerProfile> = {
  spec: {
    name: 'spec',
    summary: 'The OASIS MQTT 3.1.1 and 5.0 standards read literally.',
    supportsV5: { value: true, source: `${B} "Broker profiles": 3.1.1 and 5.0` },
    keepAlive: {
      value: { kind: 'exact', extraUs: 0 },
      source: `${B} §1.1/§1.2: [MQTT-3.1.2-24] (3.1.1), [MQTT-3.1.2-22] (5.0): exactly 1.5 K`,
    },
    connectWait: {
      value: { kind: 'none' },
      source: `${B} §1.3 and §4: the standards leave the wait for CONNECT to the server (3.1.1 §3.1 ` +
        '"within a reasonable amount of time … SHOULD close"), so the literal profile sets no limit',
    },
    offlineQueueLimit: {
      value: null,
      source: `${B} §2.1: [MQTT-3.1.2-5] the Server stores QoS 1/2 messages for a disconnected persistent ` +
        'session; the standards set no limit on how many',
    },
    overlappingSubscriptions: {
      value: { v311: 'max-qos', v5: 'max-qos', order: { exact: 0, plus: 1, hash: 2, end: 3 } },
      source: `${B} §2.1 and the standards: 3.1.1 [MQTT-3.3.5-1] delivers respecting the maximum QoS of ` +
        'all matching subscriptions; 5.0 [MQTT-3.3.4-2] one copy at the maximum QoS (further copies MAY)',
    },
    disconnect0x8DBeforeKeepAliveClose: {
      value: true,
      source: `${B} §1.2: DISCONNECT 0x8D is optional (MAY, §3.14); the profile table says send it`,
    },
    willBeforeKeepAliveClose: { value: false, source: `${B} §1.1: close "as if the network had failed", then the Will` },
    disconnect0x8EOnTakeover: {
      value: true, source: `${B} §2.2: [MQTT-3.1.4-3] DISCONNECT 0x8E to the existing 5.0 client`,
    },
    willBeforeTakeoverClose: {
      value: false,
      source: `${B} §2.2: [MQTT-3.1.4-3] the Server sends DISCONNECT 0x8E and closes the existing ` +
        'Network Connection; the Will follows from that close ([MQTT-3.1.2-8], §3.1.2.5)',
    },
    takeoverWill311: {
      value: 'always',
      source: `${B} §2.1: [MQTT-3.1.2-8] the Will belongs to the Network Connection, closed without DISCONNECT`,
    },
    takeoverWill5: { value: 'spec-table', source: `${B} §2.2 decision table (§3.1.3.2.2, §3.1.4)` },
    disconnectWill: {
      value: 'only-0x00',
      source: `${B} §3.2: [MQTT-3.14.4-3] only reason 0x00 deletes the Will`,
    },
    willAtCloseWhenSessionEnds: {
      value: true, source: `${B} §3.3: effective delay = min(WDI, SEI); SEI=0 ends the session at close`,
    },
    cleanStartDuringWillDelay: {
      value: 'publish',
      source: `${B} §2.3: Clean Start=1 ends the session, so the Will is sent (HiveMQ's reading)`,
    },
    sessionClock: { value: 'exact', source: `${B} §3.3: the standard counts exact seconds` },
    serverKeepAliveOption: { value: true, source: `${B} §1.2: [MQTT-3.2.2-21] Server Keep Alive in CONNACK` },
    maxKeepAlive: {
      value: 'server-keep-alive-v5',
      source: `${B} §1.2: a 5.0 server tells the client via Server Keep Alive; 3.1.1 has no way`,
    },
    sessionPresent: { value: 'session-exists', source: `${B} §2.1: [MQTT-3.2.2-2] Session Present reflects stored state` },
    stop: {
      value: { kind: 'wills-then-close' },
      source: `${B} §3.4 and [MQTT-3.1.2-8] (3.1.1) / §3.1.2.5 (5.0): a Will is published when its Network ` +
        'Connection closes without DISCONNECT, so a server that stops in order and closes its connections sends the Wills',
    },
    persistence: {
      value: { sessions: 'expiry-nonzero', autosaveClock: 'exact', restoredExpiryArmed: true },
      source: `${B} §3.4: the standards define no store; [MQTT-4.1.0-1] session state lasts while the session exists, so the ` +
        'literal profile saves every session that outlives its connection (Session Expiry > 0), exactly every ' +
        'interval, and a restored session keeps counting down its expiry from the restart',
    },
  },
  'mosquitto-2.0': {
    name: 'mosquitto-2.0',
    summary: 'Eclipse Mosquitto 2.0.x (read at v2.0.20, measured on Debian 2.0.11).',
    supportsV5: { value: true, source: `${B} §9: 3.1, 3.1.1, 5.0` },
    keepAlive: {
      value: { kind: 'scan', scanGapSeconds: 5, clockPhaseUs: 500_000 },
      source: `${B} §4 (src/keepalive.c: scan when last_check + 5 < now_s, close when ` +
        `now_s - last_msg_in > K*3/2) and §10.2 measurements (K=2: 4.6-7.3 s, K=10: ~17.3 s); ` +
        `the 0.5 s phase of the integer clock reproduces the measured medians`,
    },
    connectWait: {
      value: { kind: 'default-keep-alive', seconds: 60 },
      source: 'eclipse/mosquitto src/context.c @08b2ab6 context__init: keepalive = 60 ("Default to 60s") and ' +
        'the socket joins contexts_by_sock, so the keep-alive scan closes a connection that never sent ' +
        'CONNECT once now_s - last_msg_in > 90 ("Client <unknown> has exceeded timeout, disconnecting")',
    },
    offlineQueueLimit: {
      value: { max: 1000, drop: 'newest' },
      source: 'eclipse/mosquitto src/database.c @061cd05 db__message_insert: for an offline client, when ' +
        'db__ready_for_queue says the queue is full the new message is dropped ("Outgoing messages are being ' +
        'dropped for client"); max_queued_messages defaults to 1000 (mosquitto.conf(5))',
    },
    overlappingSubscriptions: {
      value: { v311: 'first-match', v5: 'each', order: { exact: 0, plus: 1, hash: 2, end: 3 } },
      source: 'measured on mosquitto 2.0.11 (test/kernel/loopback/overlap.test.ts): a/# q2 + a/+ q0, publish a/b q2 → ' +
        '3.1.1: one copy at QoS 0 (a/+ found first); 5.0: two, QoS 0 then 2. eclipse/mosquitto src/database.c ' +
        '@061cd05 db__message_insert skips copies already sent unless protocol is 5; subs.c sub__search tries ' +
        'the exact level, then +, then # (after deeper levels)',
    },
    disconnect0x8DBeforeKeepAliveClose: {
      value: false, source: `${B} §4 and §10.2: no DISCONNECT 0x8D even for v5, plain close`,
    },
    willBeforeKeepAliveClose: {
      value: true, source: `${B} §10.2: the Will reaches watchers 0.2-1.4 ms before the close`,
    },
    disconnect0x8EOnTakeover: {
      value: false, source: `${B} §10.3: no 0x8E was seen on 2.0.11 (raw bytes: CONNACK, then FIN)`,
    },
    willBeforeTakeoverClose: {
      value: true,
      source: `${B} §10.3: the Will reached the watcher 0.4-1.8 ms after C2's CONNECT, C1's FIN 0.6-3.2 ms`,
    },
    takeoverWill311: {
      value: 'if-either-clean-session',
      source: `${B} §2.4 (src/handle_connect.c connect__on_authorised) and §10.3`,
    },
    takeoverWill5: {
      value: 'mosquitto-rule',
      source: `${B} §2.4: only if old SEI=0 or new Clean Start=1, never with a Will Delay; §10.3`,
    },
    disconnectWill: {
      value: 'all-except-0x04', source: `${B} §3.2 (src/handle_disconnect.c: will__clear unless 0x04)`,
    },
    willAtCloseWhenSessionEnds: {
      value: false, source: `${B} §3.3 (src/context.c) and §10.2: SEI=0, WD=3 → Will after 3.51 s`,
    },
    cleanStartDuringWillDelay: {
      value: 'discard', source: `${B} §2.3 and §3.3 (test/broker/07-will-delay-reconnect.py)`,
    },
    sessionClock: {
      value: 'whole-seconds',
      source: `${B} §3.3 (src/will_delay.c, src/session_expiry.c: 1-s checks with strict "<")`,
    },
    serverKeepAliveOption: {
      value: false,
      source: `${B} §9: Server Keep Alive only as the max_keepalive override; no server_keepalive option`,
    },
    maxKeepAlive: { value: 'mosquitto', source: `${B} §4 "Mosquitto max_keepalive details" (src/handle_connect.c)` },
    sessionPresent: { value: 'session-exists', source: `${B} §10.3: clean=0 takeover → SP=1` },
    stop: {
      value: { kind: 'wills-then-close' },
      source: 'eclipse/mosquitto src/mosquitto.c @3b89bb2 (v2.0.11) main: SIGTERM/SIGINT (handle_sigint) end the main ' +
        'loop, then context__send_will for every client, will_delay__send_all, persist__backup(true), context__cleanup ' +
        `closes every connection (ChangeLog 1.4.13; ${B} §3.4); compared with the real broker in ` +
        'test/kernel/experiments/broker-restart-persistence-sigterm.json',
    },
    persistence: {
      value: { sessions: 'clean-start-0', autosaveClock: 'whole-seconds', restoredExpiryArmed: false },
      source: 'eclipse/mosquitto src/persist_write.c @3b89bb2 (v2.0.11; sim/profiles/persistence.ts): persist__client_save saves clients with clean_start false, persist__subs_save their subscriptions, persist__client_messages_save their messages, persist__retain_save retained messages (no Will chunk); src/loop.c saves when last_backup + autosave_interval < now_s; src/persist_read.c restores sessions without arming their expiry (FIXME)',
    },
  },
  aedes: {
    name: 'aedes',
    summary: 'Aedes 1.x (MQTT 3.1/3.1.1 only; measured 1.2.0).',
    supportsV5: {
      value: false, source: `${B} §10.3: a 5.0 CONNECT gets CONNACK 20 02 00 01, then close`,
    },
    keepAlive: {
      value: { kind: 'exact', extraUs: 1000 },
      source: `${B} §4 (lib/handlers/connect.js setKeepAlive arms a K*1500 + 1 ms timer) and §10.2`,
    },
    connectWait: {
      value: { kind: 'timeout', ms: 30_000 },
      source: `${B} §4 "Other broker-side timers": Aedes connectTimeout 30 s`,
    },
    offlineQueueLimit: {
      value: null,
      source: 'moscajs/aedes-persistence persistence.js @5c07508 outgoingEnqueue: the in-memory store appends ' +
        'to the client\'s queue with no limit',
    },
    overlappingSubscriptions: {
      value: { v311: 'first-match', v5: 'first-match', order: { exact: 1, plus: 2, hash: 0, end: 3 } },
      source: 'measured on aedes 1.2.0 (test/kernel/loopback/overlap.test.ts): one copy, at the QoS of a/# over a/+ ' +
        '(moscajs/aedes lib/client.js @b9656c2: a per-client dedupe keeps the first); qlobber _match tries #, ' +
        'then the exact level, then +',
    },
    disconnect0x8DBeforeKeepAliveClose: { value: false, source: `${B} §4: n/a (3.1.1 only)` },
    willBeforeKeepAliveClose: {
      value: false, source: `${B} §10.2: aedes emits keepaliveTimeout, closes, then publishes the Will`,
    },
    disconnect0x8EOnTakeover: { value: false, source: `${B} §2.4: no DISCONNECT (3.1.1)` },
    willBeforeTakeoverClose: {
      value: false,
      source: `${B} §10.3: "aedes (registerClient) closes the old client first (which publishes its will), ` +
        'then registers the new one"',
    },
    takeoverWill311: {
      value: 'always', source: `${B} §2.4 (aedes.js registerClient → lib/client.js close()) and §10.3`,
    },
    takeoverWill5: { value: 'spec-table', source: `${B}: n/a, aedes refuses 5.0` },
    disconnectWill: { value: 'only-0x00', source: `${B}: n/a, aedes refuses 5.0` },
    willAtCloseWhenSessionEnds: { value: true, source: `${B}: n/a, no Will Delay without 5.0` },
    cleanStartDuringWillDelay: { value: 'publish', source: `${B}: n/a, no Will Delay without 5.0` },
    sessionClock: { value: 'exact', source: `${B}: n/a, 3.1.1 sessions never expire` },
    serverKeepAliveOption: { value: false, source: `${B} §9: n/a (no 5.0)` },
    maxKeepAlive: {
      value: 'aedes-reject-6',
      source: `${B} §4 (keepaliveLimit: K=0 or K>limit ⇒ CONNACK return code 6)`,
    },
    sessionPresent: {
      value: 'stored-subscriptions',
      source: `${B} §10.3: aedes 1.2.0 clean=0 takeover → SP=0 (only reported when stored subscriptions ` +
        `exist); confirmed by test/kernel/experiments/takeover-clean0-aedes.json`,
    },
    stop: {
      value: { kind: 'close-in-turn', atTurnMaxQos: 0, order: 'object-keys' },
      source: 'moscajs/aedes aedes.js @eac44f9 Aedes.close: closeClient for each of Object.keys(this.clients) in turn ' +
        '(this.clients = Object.create(null), keyed by ClientId, set in _finishRegisterClient at the CONNECT and deleted ' +
        'in deleteClient: so ClientIds that are array indices such as "42" come first in numeric order, then the others ' +
        'in the order they registered; aedes 1.2.0 aedes.js close and _finishRegisterClient, the same); lib/client.js @eac44f9 Client.close: handleUnsubscribe, whose mqemitter ' +
        'removeListener ends each subscription on the next event-loop turn, then finish: broker.publish(will), ' +
        'connected = false, conn.destroy() (FIN). A client with no subscription reaches finish at once; a Will of QoS 0, not ' +
        'retained, goes straight to mq.emit and its deliveries (deliver0, on the next turn too) run before the ' +
        'unsubscribing of the clients closed after it; a QoS 1/2 Will waits for enqueueOffline (a promise), a ' +
        'retained one for storeRetained, so their deliveries come after every unsubscribing and lib/write.js write ' +
        'refuses them (client not connected). The in-memory aedes-persistence goes with the process. (Unchanged in ' +
        'aedes 1.2.0, which the kernel suite runs.) aedes installs no SIGTERM handler: this is what an application ' +
        'that calls close() on SIGTERM gets, as test/kernel/aedes-server.mjs does; without one Node\'s default ' +
        'SIGTERM kills the process as on a crash (StopModel dies). Measured: test/kernel/experiments/broker-stop-aedes.json',
    },
    persistence: {
      value: null,
      source: 'moscajs/aedes aedes.js @eac44f9 constructor: the state lives in opts.persistence, by default aedes-persistence in ' +
        'memory, gone with the process. External layers (aedes-persistence-redis, -mongodb) write each change at once ' +
        'and also keep Wills, which a restarted aedes (a new broker id) publishes at its first _clearWills run, ' +
        '4 × heartbeatInterval (240 s) after start; they are not modelled',
    },
  },
};
