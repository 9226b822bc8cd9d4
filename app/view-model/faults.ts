/**
 * Fault intervals for the timeline: sim/world's history of hosts down and link faults
 * (notableMarkers.ts faultSpans: a power-off until the host is up again, a crash until the
 * process is, a cut per direction until healed, a loss rate while in force), plus the
 * `disconnect` actions as instants.
 */
import { worldHistory } from '../../sim/index.ts';
import type { TraceEvent, WorldHistory } from '../../sim/index.ts';
import { faultSpans } from './notableMarkers.ts';
import { scenarioOfLanes } from './scenarioOfLanes.ts';

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

/**
 * Bands computed ahead of render: the worker builds them with the run (app/worker/derived.ts)
 * and the UI thread installs them here, keyed by the trace, so installing a run does not scan
 * every event on the UI thread (~17 ms for 128,000 events, more on a busy machine).
 */
const installed = new WeakMap<readonly TraceEvent[], { durationMs: number; bands: FaultBand[] }>();

export function installFaultBands(trace: readonly TraceEvent[], durationMs: number, bands: FaultBand[]): void {
  installed.set(trace, { durationMs, bands });
}

/** The installed bands of `trace`, else ones built from a history of its lanes. */
export function faultBandsFor(trace: readonly TraceEvent[], durationMs: number, nodes: readonly string[]): FaultBand[] {
  const hit = installed.get(trace);
  if (hit && hit.durationMs === durationMs) return hit.bands;
  return faultBands(worldHistory(scenarioOfLanes(nodes, durationMs), trace, durationMs), trace);
}
