/**
 * What one world (real or simulated) showed, in one shape, so that one extractor
 * (quantities.ts) computes the same named quantity from either:
 * - `segs`: every TCP segment as its sender put it on the wire (real: tshark on the bridge,
 *   before any fault drops it; simulated: `seg.send`), with the MQTT packets it starts;
 * - `events`: what the programs themselves said (client connected / gave up, Will delivered,
 *   broker log lines) and the actions applied.
 * Times are ms since the world's scenario clock started.
 */
export interface Seg {
  t: number;
  from: string;
  to: string;
  /** `<client node>#<n>`: the n-th connection (by SYN) that client opened. */
  conn: string;
  flags: string;
  seq: number;
  ack: number;
  len: number;
  /** MQTT packets whose first byte is in this segment (retransmissions inherit the original's). */
  mqtt: string[];
  /** The sender sent these bytes (or this SYN/FIN) before. */
  retx: boolean;
  /** Where it was seen: on the LAN (default) or between a client and its NAT router. */
  where?: 'lan' | 'nat-inside';
}

export type EvKind =
  | 'action' | 'client.connected' | 'client.gave-up' | 'client.close' | 'client.error'
  | 'will' | 'message' | 'broker.ka-expired' | 'broker.takeover' | 'broker.timed-out' | 'broker.conn-lost';

export interface Ev {
  t: number;
  kind: EvKind;
  node?: string;
  clientId?: string;
  topic?: string;
  do?: string;
  sessionPresent?: boolean;
  text?: string;
}

export interface Observation {
  segs: Seg[];
  events: Ev[];
}

/** Canonical flags from the simulator's "SYN,ACK" style. */
export function flagsFromNames(s: string): string {
  const parts = new Set(s.split(/[ ,|]+/).map((p) => p.toUpperCase()));
  let out = '';
  if (parts.has('FIN')) out += 'F';
  if (parts.has('SYN')) out += 'S';
  if (parts.has('RST')) out += 'R';
  if (parts.has('PSH')) out += 'P';
  if (parts.has('ACK')) out += 'A';
  return out;
}

/**
 * Marks retransmissions: a segment whose bytes (or SYN/FIN) its sender already sent on that
 * connection. Segments must be in time order.
 */
export function markRetransmissions(segs: Seg[]): void {
  const high = new Map<string, number>();
  const seenCtl = new Set<string>();
  const mqttAt = new Map<string, string[]>();
  for (const s of segs) {
    const dir = `${s.where ?? 'lan'}|${s.conn}|${s.from}`;
    s.retx = false;
    if (s.flags.includes('S') || s.flags.includes('F')) {
      const k = `${dir}|${s.flags.includes('S') ? 'S' : 'F'}|${s.seq}`;
      if (seenCtl.has(k)) s.retx = true;
      seenCtl.add(k);
    }
    if (s.len > 0) {
      const end = s.seq + s.len;
      const h = high.get(dir);
      // Sequence numbers wrap at 2^32; connections here are far shorter than that.
      if (h !== undefined && end <= h) s.retx = true;
      if (h === undefined || end > h) high.set(dir, end);
      const k = `${dir}|${s.seq}`;
      if (s.mqtt.length > 0 && !mqttAt.has(k)) mqttAt.set(k, s.mqtt);
      else if (s.mqtt.length === 0 && mqttAt.has(k)) s.mqtt = mqttAt.get(k)!;
    }
  }
}
