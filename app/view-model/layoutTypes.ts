/**
 * The shapes the sequence diagram draws, in trace units (ms and lane indices), produced by
 * the pure `buildSequenceLayout` (sequenceLayout.ts) and turned into pixels only at render.
 *
 * Every item is an `Interval` (start/end in ms) sorted by `start`, so the renderer can cull
 * to the visible window with a binary search (intervalIndex.ts). Event references are trace
 * indices ("seq"): CONTRACT.md §3 makes `seq` equal the line number, and `seg.send` reuses
 * the field name `seq` for the TCP sequence number, so the array index is the safe key.
 */
import type { CloseCause, TimerName } from '../../sim/index.ts';
import type { Interval } from './intervalIndex.ts';

/** One horizontal lane per node (broker first), with the rows drawn under its lifeline. */
export interface Lane {
  index: number;
  name: string;
  isBroker: boolean;
  rows: LaneRow[];
}

/**
 * A row under a lifeline: either one node's belief about a connection ("view") or a row of
 * timer ribbons. `owner` is the node whose belief/timer it is; `label` is empty on the
 * continuation rows of a group.
 */
export interface LaneRow { kind: 'view' | 'timer'; owner: string; label: string }

export type ArrowKind = 'mqtt' | 'control';
export type ArrowOutcome = 'delivered' | 'dropped' | 'in-flight';
export type DropReason = 'loss' | 'cut' | 'nat' | 'proxy' | 'host-down' | 'no-route';

/** One TCP segment on the wire, from `seg.send` to its `seg.deliver` or `seg.drop`. */
export interface Arrow extends Interval {
  index: number;
  segId: number;
  sendSeq: number;
  /** The deliver/drop event, or null if the segment was still in flight when the trace ended. */
  endSeq: number | null;
  /** What a click selects: the first `mqtt.send` it carries, else the `seg.send`. */
  selectSeq: number;
  from: string; to: string; conn: string;
  fromLane: number; toLane: number;
  sendMs: number;
  /** Arrival (delivered), where the cross is drawn (dropped), or estimated arrival (in flight). */
  endMs: number;
  /** Fractional lane where the arrow ends: `toLane` unless it died on the link. */
  endLanePos: number;
  outcome: ArrowOutcome;
  dropReason: DropReason | null;
  /** The true drop time (equals `endMs` for host-down drops, the send time for link drops). */
  dropMs: number | null;
  kind: ArrowKind;
  /** MQTT packet name(s) carried ("PINGREQ", "PUBLISH+PINGREQ"), or "SYN", "FIN", "RST", "". */
  label: string;
  flags: string; len: number; retransmit: boolean;
  /** `mqtt.send` and `mqtt.recv` events of the packets this segment carries. */
  packetSeqs: number[];
}

export type BandCause = CloseCause | 'power-off' | 'crash';

/** One end's belief that a connection is open, from its conn.open to its conn.closed. */
export interface Band extends Interval {
  index: number;
  conn: string;
  /** The node whose belief this is. */
  node: string;
  peer: string;
  lane: number;
  row: number;
  fromMs: number;
  toMs: number;
  openSeq: number;
  closeSeq: number | null;
  /** Why it ended; null when still open at the end of the trace. */
  cause: BandCause | null;
}

/** An interval where one end of a connection believes it is open and the other does not. */
export interface HalfOpen extends Interval {
  index: number;
  conn: string;
  lane: number;
  /** Row of the side that already closed (where the "missing" band is drawn hatched). */
  closedRow: number;
  /** Row of the side that still believes the connection is open. */
  openRow: number;
  openNode: string;
  closedNode: string;
  /** The two bands (indices into `bands`): the one that ended and the one still open. */
  closedBand: number;
  openBand: number;
  fromMs: number;
  toMs: number;
  fromSeq: number;
  toSeq: number | null;
}

export type RibbonOutcome = 'fired' | 'cleared' | 'replaced' | 'pending';

/** A timer from its `timer.set` to its due time (or to when it was cleared or re-armed). */
export interface Ribbon extends Interval {
  index: number;
  node: string;
  timer: TimerName;
  label: string;
  lane: number;
  row: number;
  setSeq: number;
  setMs: number;
  dueMs: number;
  /** Where the ribbon stops: dueMs if it fired, else the clear / re-arm time. */
  endMs: number;
  endSeq: number | null;
  outcome: RibbonOutcome;
  conn: string | null;
  clientId: string | null;
  /** broker.keepalive: the keep-alive in force on its connection (sim/world); else null. */
  keepAliveSeconds: number | null;
}

export type MarkerTone = 'ok' | 'alert' | 'will' | 'takeover' | 'fault' | 'muted';

/** A notable event drawn as an icon on its node's lifeline. */
export interface Marker extends Interval {
  index: number;
  seq: number;
  kind: string;
  lane: number;
  tMs: number;
  glyph: string;
  label: string;
  tone: MarkerTone;
}

/** A shaded fault window (power off → on, crash → restart, cut → heal, or from props). */
export interface FaultWindow extends Interval {
  index: number;
  fromMs: number;
  toMs: number;
  label: string;
  /** Lanes to shade; empty means the whole height. */
  lanes: number[];
  seq: number | null;
}

export type ItemType = 'arrow' | 'band' | 'halfOpen' | 'ribbon' | 'marker' | 'fault';
export interface ItemRef { type: ItemType; index: number }
/** seq → the item that shows it (itemLookup.ts). */
export interface ItemLookup { get(seq: number): ItemRef | undefined }

export interface SequenceLayout {
  lanes: Lane[];
  arrows: Arrow[];
  bands: Band[];
  halfOpen: HalfOpen[];
  ribbons: Ribbon[];
  markers: Marker[];
  faults: FaultWindow[];
  /** Right end of the time axis: max(durationMs, last event). */
  endMs: number;
  /** Per event (by seq): its time and the lane it belongs to (-1 if none). */
  eventMs: Float64Array;
  eventLane: Int32Array;
  /** Which drawn item shows an event (for highlighting the selection). */
  itemBySeq: ItemLookup;
}
