/**
 * What the fleet aggregator counts per time bucket and per phase, as a table: one row per
 * count. A new trace kind (say, a listen-backlog overflow) is counted by adding one row here;
 * the series, the CLI summary (human and JSON) and the app's Fleet view pick it up by key.
 */
import type { TraceFields } from '../trace/types.ts';

export interface CountContext {
  /** The `flags` of the seg.send with this id ("SYN", "SYN,ACK", ...), while it is in flight. */
  flagsOf(segId: number): string | undefined;
}

export interface CounterRow {
  /** Key in the JSON and the typed-array series (stable: scripts read it). */
  key: string;
  /** Words for the human summary and the app ("SYN drops"). */
  label: string;
  /** The trace kinds this row looks at. */
  kinds: readonly string[];
  /** Further condition on an event of one of `kinds` (absent: every such event counts). */
  test?: (ev: Readonly<TraceFields>, ctx: CountContext) => boolean;
}

const segId = (ev: Readonly<TraceFields>): number => (ev as { id?: number }).id ?? -1;

export const COUNTER_ROWS: readonly CounterRow[] = [
  { key: 'detections', label: 'broker keep-alive detections', kinds: ['broker.keepalive-expired'] },
  { key: 'clientTimeouts', label: 'client keep-alive timeouts', kinds: ['client.keepalive-timeout'] },
  { key: 'giveUps', label: 'connection attempts given up', kinds: ['client.gave-up'] },
  { key: 'takeovers', label: 'takeovers', kinds: ['broker.takeover'] },
  { key: 'willsPublished', label: 'Wills published', kinds: ['will.published'] },
  { key: 'willsDiscarded', label: 'Wills discarded', kinds: ['will.discarded'] },
  // A SYN or SYN-ACK that died on the way (a powered-off broker, a cut, loss). A listen
  // backlog that drops SYNs at the broker is another kind: add its row here.
  {
    key: 'synDrops', label: 'SYN drops', kinds: ['seg.drop'],
    test: (ev, ctx) => ctx.flagsOf(segId(ev))?.includes('SYN') === true,
  },
  { key: 'segDrops', label: 'segments dropped', kinds: ['seg.drop'] },
  // The broker host's listen queues were full (sim/tcp/listen-queue.ts): a SYN or a
  // handshake's last ACK dropped at the broker (the client waits out its SYN or SYN-ACK
  // schedule), or a SYN answered with a cookie instead of a queue entry.
  {
    key: 'listenDrops', label: 'dropped by a full listen queue', kinds: ['tcp.listen-overflow'],
    test: (ev) => String((ev as { verdict?: string }).verdict).startsWith('drop'),
  },
  {
    key: 'synCookies', label: 'SYN cookies sent', kinds: ['tcp.listen-overflow'],
    test: (ev) => (ev as { verdict?: string }).verdict === 'cookie',
  },
];

/** kind → the rows that look at it (built once). */
export function rowsByKind(rows: readonly CounterRow[]): Map<string, { index: number; row: CounterRow }[]> {
  const out = new Map<string, { index: number; row: CounterRow }[]>();
  rows.forEach((row, index) => {
    for (const k of row.kinds) {
      let list = out.get(k);
      if (list === undefined) out.set(k, list = []);
      list.push({ index, row });
    }
  });
  return out;
}
