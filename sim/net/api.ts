/**
 * What the MQTT layer (and the scenario runner) may use of the network and TCP.
 *
 * A `HostStack` is one node's kernel: it listens and connects. A `TcpSocket` is one end
 * of one TCP connection as the application sees it. The `Network` is the whole topology
 * with its faults; only the runner calls it.
 */
import type { CloseCause, TcpStateName } from '../trace/types.ts';
import type { Direction } from '../scenario/types.ts';
import type { Instant } from '../engine/types.ts';

export const MQTT_PORT = 1883;

export interface SocketHandlers {
  /** The connection is ESTABLISHED (client side: SYN-ACK received; accepted sockets: called
   *  right after `onAccept` returns, if it set handlers). */
  onOpen(): void;
  /** In-order bytes delivered to the application. */
  onData(bytes: Uint8Array): void;
  /**
   * The connection is gone as this node sees it; called at most once, never after close()/abort().
   * After a peer's FIN the socket closes its own half at once, unless this returns `'later'`:
   * the application has not read the end of the stream yet (a stopped process) and calls
   * close() itself when it does; until then the kernel holds the socket in CLOSE-WAIT.
   */
  onClose(cause: CloseCause): void | 'later';
  /**
   * Only a process that can be stopped (the broker: action pause) has this. True: it is stopped
   * and will call `end` when it runs again, which reports the close as it sees it (conn.closed);
   * called just before onClose.
   */
  readsLater?(end: () => void): boolean;
}

/**
 * One end of one connection, as the app holds it. A socket whose connection failed before it
 * opened (onClose before onOpen, or close() in SYN-SENT) may be handed out again by a later
 * connect() of the same host (TcpHost.recycled): an app drops its reference when the
 * connection ends, as the MQTT client does.
 */
export interface TcpSocket {
  /** Connection id, the same string on both ends, unique in the run (e.g. "sensor/1"). */
  readonly conn: string;
  readonly node: string;
  readonly peer: string;
  readonly state: TcpStateName;
  setHandlers(handlers: SocketHandlers): void;
  /** Queue bytes; they go out as segments (MSS 1460) and are retransmitted until acked. */
  write(bytes: Uint8Array): void;
  /** How many write() calls this end has had (one MQTT packet each): the last write's place in its stream. */
  readonly packetsWritten: number;
  /** Graceful close: FIN after queued data. The app gets no further callbacks. */
  close(): void;
  /** Abortive close: RST now. The app gets no further callbacks. */
  abort(): void;
}

export interface KeepAliveOptions { idleSeconds: number; intervalSeconds: number; probes: number }

/**
 * How the application accepts (tcp/listen-queue.ts): `backlog` is its listen() backlog (capped
 * to the host's somaxconn); `ready()` says whether it would accept() now. While it says no,
 * established connections wait in the accept queue (their data is held for the app) and
 * overflow as Linux's does; the app calls `Listening.acceptPending()` when it is ready again.
 */
export interface ListenOptions { backlog: number; ready: (() => boolean) | null }

export interface Listening {
  /** Accept the queued connections while the app is ready (each goes to onAccept). */
  acceptPending(): void;
}

export interface HostStack {
  readonly name: string;
  /** Accept connections on `port`; `onAccept` must call setHandlers on the new socket.
   *  Extension: `keepAlive` turns SO_KEEPALIVE on for every accepted socket; `options` the
   *  listen backlog and the app's accept pace (default: backlog 4096, accept at once). */
  listen(port: number, onAccept: (socket: TcpSocket) => void, keepAlive?: KeepAliveOptions | null,
    options?: ListenOptions): Listening;
  /** Active open towards `peer:port`; handlers get onOpen, or onClose('rst'|'timeout'). */
  connect(peer: string, port: number, handlers: SocketHandlers, keepAlive?: KeepAliveOptions | null): TcpSocket;
}

/** One segment put on the wire, for capture export (pcap). Never affects the run. */
export interface WireSegment {
  tUs: Instant;
  conn: string;
  src: string; dst: string;
  srcPort: number; dstPort: number;
  seq: number; ack: number;
  /** TCP flag bits: FIN 0x01, SYN 0x02, RST 0x04, PSH 0x08, ACK 0x10. */
  flags: number;
  window: number;
  payload: Uint8Array;
  /** What became of it: delivered, or where it died. */
  fate: 'delivered' | 'loss' | 'cut' | 'nat' | 'proxy' | 'host-down' | 'no-route' | 'in-flight';
  /** Set for a segment the sender retransmitted. */
  retransmit: boolean;
}

export interface Network {
  host(name: string): HostStack;
  /** Host loses power: silent, all TCP state lost; incoming segments are dropped. */
  powerOff(node: string): void;
  /** Host boots with no TCP state: segments of forgotten connections get RST. */
  powerOn(node: string): void;
  /** Process dies, host stays up: the kernel closes the process's sockets (FIN, or RST
   *  where unread data was left) and its listeners (later SYNs get RST). */
  killProcess(node: string): void;
  cut(a: string, b: string, direction: Direction): void;
  heal(a: string, b: string, direction: Direction): void;
  setLink(a: string, b: string, change: { latencyMs?: number; jitterMs?: number; loss?: number }): void;
  /** Extension (action `nat-flush`): the link's NAT forgets every flow at once. */
  natFlush(a: string, b: string): void;
  /** Attach a recorder for every segment put on the wire (capture export). */
  onWire(recorder: (segment: WireSegment) => void): void;
  /** IPv4 address of a node, as four octets (for captures). */
  address(node: string): [number, number, number, number];
}
