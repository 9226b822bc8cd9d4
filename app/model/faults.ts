/**
 * Fault intervals for the timeline: from the `action` events of a trace, each fault that
 * lasts (power off → on, crash → restart, cut → heal, lossy link → loss 0) becomes a band.
 */
import type { TraceEvent } from '../../sim/index.ts';

export interface FaultBand { fromMs: number; toMs: number; label: string; node?: string; link?: [string, string] }

export function faultBands(trace: readonly TraceEvent[], durationMs: number): FaultBand[] {
  const out: FaultBand[] = [];
  const open = new Map<string, FaultBand>();
  const close = (key: string, t: number): void => {
    const b = open.get(key);
    if (b) { b.toMs = t; open.delete(key); }
  };
  const start = (key: string, band: FaultBand): void => {
    close(key, band.fromMs);
    open.set(key, band);
    out.push(band);
  };
  for (const ev of trace) {
    if (ev.kind !== 'action') continue;
    const t = ev.tMs;
    const node = ev.node;
    const link = ev.link;
    const linkKey = link ? [...link].sort().join('|') : '';
    const dir = ev.direction ?? 'both';
    switch (ev.do) {
      case 'power-off': start(`host|${node}`, { fromMs: t, toMs: durationMs, label: `${node} powered off`, node }); break;
      case 'crash': start(`host|${node}`, { fromMs: t, toMs: durationMs, label: `${node} crashed`, node }); break;
      case 'power-on': case 'restart': close(`host|${node}`, t); break;
      case 'disconnect': out.push({ fromMs: t, toMs: t, label: `${node} disconnects`, ...(node ? { node } : {}) }); break;
      case 'cut': {
        if (!link) break;
        const label = dir === 'both' ? `link ${link.join('–')} cut`
          : `link cut ${dir === 'a->b' ? `${link[0]} → ${link[1]}` : `${link[1]} → ${link[0]}`}`;
        start(`cut|${linkKey}|${dir}`, { fromMs: t, toMs: durationMs, label, link });
        break;
      }
      case 'heal':
        if (dir === 'both') for (const key of [...open.keys()]) { if (key.startsWith(`cut|${linkKey}|`)) close(key, t); }
        else close(`cut|${linkKey}|${dir}`, t);
        break;
      case 'set-link': {
        if (!link || ev.loss === undefined) break;
        close(`loss|${linkKey}`, t);
        if (ev.loss > 0) {
          start(`loss|${linkKey}`, { fromMs: t, toMs: durationMs, label: `loss ${Math.round(ev.loss * 100)}% on ${link.join('–')}`, link });
        }
        break;
      }
      default:
    }
  }
  return out;
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

/** The installed bands of `trace`, else freshly built ones. */
export function faultBandsFor(trace: readonly TraceEvent[], durationMs: number): FaultBand[] {
  const hit = installed.get(trace);
  return hit && hit.durationMs === durationMs ? hit.bands : faultBands(trace, durationMs);
}
