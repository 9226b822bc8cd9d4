/**
 * Fault intervals for the timeline: sim/world's history of hosts down and link faults
 * (notableMarkers.ts faultSpans: a power-off until the host is up again, a crash until the
 * process is, a cut per direction until healed, a loss rate while in force), plus the
 * `disconnect` actions as instants. Built with the run (derive.ts).
 */
import type { TraceEvent, WorldHistory } from '../../sim/index.ts';
import { faultSpans } from './notableMarkers.ts';

export interface FaultBand { fromMs: number; toMs: number; label: string; node?: string; link?: [string, string] }

export function faultBands(history: WorldHistory, trace: readonly TraceEvent[]): FaultBand[] {
  const out: FaultBand[] = faultSpans(history).map((f) => ({
    fromMs: f.fromMs, toMs: f.toMs, label: f.label, ...(f.node !== undefined ? { node: f.node } : {}), ...(f.link !== undefined ? { link: f.link } : {}),
  }));
  for (const ev of trace) {
    if (ev.kind === 'action' && ev.do === 'disconnect') {
      out.push({ fromMs: ev.tMs, toMs: ev.tMs, label: `${ev.node} disconnects`, ...(ev.node ? { node: ev.node } : {}) });
    }
  }
  return out.sort((x, y) => x.fromMs - y.fromMs);
}
