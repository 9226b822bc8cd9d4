/**
 * The devices whose every event a sampled fleet run keeps (mode.ts), and the trace of just
 * those devices and of the broker as it concerns them. Pure: the worker and the UI derive the
 * same lanes from the same scenario.
 */
import { memberIds } from '../../sim/index.ts';
import type { ResolvedScenario, Scenario } from '../../sim/index.ts';
import { SAMPLE_PER_GROUP } from './mode.ts';

/** Members kept per group: the first, the middle and the last. */
export function sampleMembers(id: string, count: number): string[] {
  // Named here as sim's memberIds names them, without making all `count` names: the lanes are
  // derived on the UI thread from the store on every update (nodeIds), 100,000 names each time.
  const width = String(count).length;
  const picks = [...new Set([0, Math.floor((count - 1) / 2), count - 1])].slice(0, SAMPLE_PER_GROUP);
  return picks.map((i) => `${id}-${String(i + 1).padStart(width, '0')}`);
}

/** Lanes: the broker, then each client; a group as all its members, or (sampled) a sample. */
export function laneIds(s: Scenario, sampled: boolean): string[] {
  const out = [s.broker.id];
  for (const c of s.clients) {
    if (c.count === undefined) out.push(c.id);
    else out.push(...(sampled ? sampleMembers(c.id, c.count) : memberIds({ id: c.id, count: c.count, grouped: true }, true)));
  }
  return out;
}

/** The resolved scenario cut down to the sampled clients (what the sampled trace is about). */
export function sampledResolved(r: ResolvedScenario, keep: ReadonlySet<string>): ResolvedScenario {
  return {
    ...r,
    clients: r.clients.filter((c) => keep.has(c.id)),
    links: r.links.filter((l) => keep.has(l.between[0]) || keep.has(l.between[1])),
  };
}

/** What the keep test reads of an event: a TraceEvent, or the engine's lent fields (RunOptions.onFields). */
export interface KeepFields {
  readonly kind: string; readonly node?: string | undefined; readonly peer?: string | undefined;
  readonly conn?: string | undefined; readonly clientId?: string | null | undefined; readonly link?: readonly [string, string] | undefined;
}

/**
 * A test over the trace in order: true for the events of the kept clients, the broker's events
 * about them (by peer, connection or ClientId) and the broker's own (power, restart). Stateful
 * (it learns the kept clients' connections), so it must see every event, in order. It reads
 * only the fields above (a key holding undefined is absent), so a run can ask it before
 * building an event object at all (runFleet.ts).
 */
export function createKeepTest(r: ResolvedScenario, keep: ReadonlySet<string>): (ev: KeepFields) => boolean {
  const broker = r.broker.id;
  const clientIds = new Set(r.clients.filter((c) => keep.has(c.id)).map((c) => c.clientId));
  const conns = new Set<string>();
  return (e) => {
    const node = e.node;
    // Most events of a large run are another device's: one read and one lookup say no.
    if (node !== undefined && node !== broker && !keep.has(node)) return false;
    if (e.kind === 'action') {
      return node !== undefined || e.link === undefined || e.link.some((n) => n === broker || keep.has(n));
    }
    if (node === undefined) return true;
    if (node !== broker) { if (e.conn !== undefined) conns.add(e.conn); return true; }
    if (e.peer !== undefined) return keep.has(e.peer);
    if (e.conn !== undefined) return conns.has(e.conn);
    if (e.clientId !== undefined) return e.clientId !== null && clientIds.has(e.clientId);
    return true;
  };
}
