/**
 * Client library profiles (CONTRACT.md section 4): plain data, one object per library.
 *
 * Each differing field carries a `source` from shared/reference/behaviour.md (section and
 * upstream file), or, where behaviour.md is silent, the upstream file and commit read for it.
 * The client code reads these through profiles/decisions.ts and mqtt/client/. Leaves out:
 * MQTT.js 4.x and Paho Java (behaviour.md §6 has them; add an object to model them).
 */
import type { ClientProfileName } from '../scenario/types.ts';
import type { Cited } from './broker-profiles.ts';

export type ClientKeepAliveModel =
  /**
   * MQTT.js ≥ 5.6 KeepaliveManager: an interval of ceil(K·1000/2) ms restarted by every
   * reschedule; tick 2 sends PINGREQ, tick 3 gives up.
   */
  | { kind: 'reschedule-ticks'; rescheduledBy: readonly string[] }
  /**
   * Paho Python _check_keepalive on a loop tick: PINGREQ when K passed since the last packet
   * sent or received; give up when the condition holds again with a ping outstanding.
   */
  | { kind: 'idle-check'; loopTickUs: number };

export type ReconnectModel =
  | { kind: 'fixed'; delayMs: number }
  | { kind: 'exponential'; minMs: number; maxMs: number };

export interface ClientProfile {
  name: ClientProfileName;
  summary: string;
  keepAlive: Cited<ClientKeepAliveModel>;
  reconnect: Cited<ReconnectModel>;
  /** Time allowed from the TCP connect to CONNACK, or 'keep-alive' (K after CONNECT). */
  connectTimeout: Cited<{ kind: 'fixed'; ms: number } | { kind: 'keep-alive' }>;
  /**
   * Time allowed for the TCP handshake alone (a blocking connect with a timeout), after which
   * the attempt fails and the reconnect delay starts; null when connectTimeout covers it.
   */
  socketConnectTimeout: Cited<{ ms: number } | null>;
  /**
   * When the client's `subscriptions` are sent: after a CONNACK without Session Present (the
   * library resubscribes itself), or after every CONNACK (the app subscribes in its
   * on-connect callback, as the library's own example does).
   */
  resubscribe: Cited<'unless-session-present' | 'every-connack'>;
  /**
   * How stored QoS 1/2 messages go out after a CONNACK: all at once, or one at a time, each
   * after the previous flow completed, with new publishes held until the store is drained.
   */
  resendPace: Cited<'all-at-once' | 'one-at-a-time'>;
  /** After a CONNACK that refuses the connection: close and reconnect as usual, or stay down. */
  afterRefusedConnack: Cited<'reconnect' | 'stay-down'>;
  /**
   * MQTT 5 Server Keep Alive: obey it when both it and the client's own K are non-zero (a 0 from
   * the server is then ignored, where [MQTT-3.1.2-21] says to use it and stop pinging), or ignore.
   */
  serverKeepAlive: Cited<'obey-when-both-nonzero' | 'ignore'>;
  /** A publish while not connected (but going to reconnect): kept and sent after the next CONNACK, or dropped. */
  offlinePublish: Cited<{ qos0: 'queue' | 'drop'; qos12: 'queue' | 'drop' }>;
  /** DUP flag on a resent PUBLISH ([MQTT-3.3.1-1] asks for 1). */
  dupOnResend: Cited<boolean>;
  /**
   * How long after writing DISCONNECT (the `disconnect` action) the library closes its socket
   * (FIN), in µs. On a LAN faster than this, the broker's FIN can come first.
   */
  closeAfterDisconnectUs: Cited<number>;
}

/**
 * Library sources read for the offline and resend behaviour (behaviour.md does not cover it).
 * Both libraries resend every unacknowledged message after every CONNACK, whatever Session
 * Present says (so not only in the case [MQTT-4.4.0-1] requires): mqtt/client/client.ts
 * afterConnack does the same for every profile.
 */
const MQTTJS = 'mqttjs/MQTT.js src/lib/client.ts @0196d4d';
const PAHO2 = 'eclipse-paho/paho.mqtt.python src/paho/mqtt/client.py @02b583c';
const PAHO = 'eclipse/paho.mqtt.python src/paho/mqtt/client.py @c2e36b5 (a 3.1.1-only 1.x version; not re-read for 2.x)';

const B = 'behaviour.md';
const MQTTJS_CONNACK = 'mqttjs/MQTT.js src/lib/handlers/connack.ts @05753e0';

export const CLIENT_PROFILES: Record<ClientProfileName, ClientProfile> = {
  'mqttjs-5': {
    name: 'mqttjs-5',
    summary: 'MQTT.js 5.6 and later (KeepaliveManager).',
    keepAlive: {
      value: {
        kind: 'reschedule-ticks',
        rescheduledBy: ['pingresp', 'puback', 'pubrec', 'pubcomp', 'suback', 'unsuback', 'pubrel', 'auth'],
      },
      source: `${B} §6.1 (src/lib/KeepaliveManager.ts, src/lib/handlers/index.ts) and §10.3`,
    },
    reconnect: {
      value: { kind: 'fixed', delayMs: 1000 },
      source: `${B} §6.1: reconnectPeriod 1000 ms, fixed interval, no backoff`,
    },
    connectTimeout: {
      value: { kind: 'fixed', ms: 30_000 },
      source: `${B} §6.1: connectTimeout 30000 ms ("connack timeout")`,
    },
    socketConnectTimeout: {
      value: null,
      source: `${MQTTJS} connect(): the connackTimer of connectTimeout starts with the stream, so it ` +
        'bounds the TCP handshake too; there is no separate socket timeout',
    },
    resubscribe: {
      value: 'unless-session-present',
      source: `${MQTTJS} _resubscribe: "Only resubscribe in case of clean connection or if the server ` +
        'does not have a stored session" (options.clean || !connackPacket.sessionPresent); the first ' +
        'subscribe is the application\'s own',
    },
    resendPace: {
      value: 'one-at-a-time',
      source: `${MQTTJS} _onConnect: storeDeliver reads one packet from the outgoing store and sends it; ` +
        'its callback (PUBACK, or PUBCOMP for QoS 2) reads the next. While _storeProcessing, publish() ' +
        'and subscribe() wait in _storeProcessingQueue; at the store\'s end that queue runs, then ' +
        "'connect' sends the QoS 0 queue and resubscribes. A close meanwhile fails the waiting calls " +
        '(_flushStoreProcessingQueue: "Connection closed")',
    },
    afterRefusedConnack: {
      value: 'stay-down',
      source: `${MQTTJS_CONNACK}: a refused CONNACK (rc > 0) only emits 'error': no reconnect is armed ` +
        `(${MQTTJS}: option reconnectOnConnackError, off by default, "to enable the reconnect period to ` +
        'apply if the initial connection is denied with an error in the CONNACK packet"); newer ' +
        'versions also close the socket at once. The broker closes it anyway [MQTT-3.2.2-5]',
    },
    serverKeepAlive: {
      value: 'obey-when-both-nonzero',
      source: `${B} §6.1 (handlers/connack.ts: only if the client's own keepalive is non-zero); ` +
        `${MQTTJS_CONNACK} \`if (packet.properties.serverKeepAlive && options.keepalive)\`: a Server ` +
        'Keep Alive of 0 is falsy too, so the client keeps its own K',
    },
    offlinePublish: {
      value: { qos0: 'queue', qos12: 'queue' },
      source: `${MQTTJS} _sendPacket/_storePacket: while not connected, QoS 0 goes to \`queue\` ` +
        '(queueQoSZero defaults to true) and QoS 1/2 into the outgoingStore; both go out after CONNACK',
    },
    dupOnResend: {
      value: false,
      source: `${MQTTJS} _onConnect streams the whole outgoingStore out after every CONNACK (Session ` +
        'Present is read only by _resubscribe) and resends each stored packet unchanged (src/lib/store.ts ' +
        'put keeps it as first sent), so DUP stays 0',
    },
    closeAfterDisconnectUs: {
      value: 500,
      source: `${MQTTJS} _cleanUp (the same in 5.16.0's build/lib/client.js): the DISCONNECT goes out through ` +
        '_sendPacket, whose callback defers stream.end() to the next event-loop turn, so the FIN follows a write ' +
        'callback and a loop turn (the keep-alive manager is destroyed at once). Measured on real kernels (test/kernel clean-disconnect-*, veth, 2 cores): FIN 0.39-0.87 ms after ' +
        'the DISCONNECT segment; 0.5 ms taken. mosquitto answers the DISCONNECT with its own FIN in ~0.1 ms, so on ' +
        'veth\'s 25 µs link the broker\'s FIN comes first',
    },
  },
  'paho-python': {
    name: 'paho-python',
    summary: 'Eclipse Paho Python 2.x (loop_forever with the default 1 s loop timeout).',
    keepAlive: {
      value: { kind: 'idle-check', loopTickUs: 1_000_000 },
      source: `${B} §6.2 (src/paho/mqtt/client.py _check_keepalive, loop timeout 1.0 s); ${PAHO2} ` +
        'loop_forever → _loop: select(…, timeout) returns on incoming data or after 1 s, then loop_misc ' +
        'runs _check_keepalive and gives up when _ping_t > 0 and now - _ping_t >= keepalive',
    },
    reconnect: {
      value: { kind: 'exponential', minMs: 1000, maxMs: 120_000 },
      source: `${B} §6.2: reconnect_delay_set(min_delay=1, max_delay=120), doubling; ${PAHO2} ` +
        '_reconnect_wait: the first wait (at start, or after an accepted CONNACK resets _reconnect_delay ' +
        'to None) is min_delay, every further one doubles',
    },
    connectTimeout: {
      value: { kind: 'keep-alive' },
      source: `${B} §6.2 _check_keepalive closes a not-yet-connected socket once K passed since the ` +
        `last packet (derived from the same check; behaviour.md gives no CONNACK timeout); ${PAHO2} ` +
        'reconnect() sets _last_msg_in before connecting, so K counts from the start of the attempt',
    },
    socketConnectTimeout: {
      value: { ms: 5000 },
      source: `${PAHO2} _create_socket_connection: socket.create_connection(addr, ` +
        'timeout=self._connect_timeout), _connect_timeout = 5.0 s by default: a SYN without answer ' +
        'fails the attempt after 5 s ("TimeoutError: timed out"), then loop_forever waits its reconnect delay',
    },
    resubscribe: {
      value: 'every-connack',
      source: 'eclipse/paho.mqtt.python README.rst @e661ffb: the getting-started client subscribes in ' +
        'on_connect ("Subscribing in on_connect() means that if we lose the connection and reconnect then ' +
        'subscriptions will be renewed"), on every CONNACK; the library keeps no subscription list',
    },
    resendPace: {
      value: 'all-at-once',
      source: `${PAHO} _handle_connack: after a successful CONNACK it walks _out_messages and sends ` +
        'every stored PUBLISH / PUBREL in one loop',
    },
    afterRefusedConnack: {
      value: 'reconnect',
      source: `${PAHO2} _handle_connack: a non-zero result closes the socket; loop_forever then waits ` +
        '_reconnect_wait and calls reconnect() again (the backoff keeps doubling: no CONNACK was accepted)',
    },
    serverKeepAlive: {
      value: 'ignore', source: `${B} §6.2: Server Keep Alive ignored up to 2.1.0 (issue #905)`,
    },
    offlinePublish: {
      value: { qos0: 'drop', qos12: 'queue' },
      source: `${PAHO} publish(): QoS 0 without a socket returns MQTT_ERR_NO_CONN and is gone; QoS 1/2 ` +
        'stays in _out_messages (max_queued_messages 0 = unlimited) and _handle_connack sends it',
    },
    dupOnResend: {
      value: true,
      source: `${PAHO} _messages_reconnect_reset_out sets dup on messages already sent (wait_for_puback/ ` +
        'pubrec/pubcomp); _handle_connack then resends all, Session Present only passed to on_connect',
    },
    closeAfterDisconnectUs: {
      value: 0,
      source: `${PAHO2} _packet_write: once a DISCONNECT is written it calls _do_on_disconnect and ` +
        '_sock_close() in the same call, so the FIN follows the DISCONNECT at once',
    },
  },
};
