/**
 * The event log's filter (node and kind layers), shared by the log and by stepping: "Step
 * forward" moves to the next event the log shows, so hiding segments and timers lets a
 * student step through MQTT packets only.
 */
import type { TraceEvent } from '../../sim/index.ts';
import { isNotable, layerOf, nodesOf } from './notable.ts';
import type { Layer } from './notable.ts';

export interface LogFilter {
  /** Show only events concerning this node (null: all nodes). */
  node: string | null;
  /** Layers hidden from the log. */
  hiddenLayers: Layer[];
  notableOnly: boolean;
}

export const ALL_LAYERS: readonly { layer: Layer; label: string }[] = [
  { layer: 'mqtt', label: 'MQTT packets' },
  { layer: 'broker', label: 'Broker, Will, session' },
  { layer: 'client', label: 'Client' },
  { layer: 'tcp', label: 'TCP states' },
  { layer: 'segment', label: 'TCP segments' },
  { layer: 'timer', label: 'Timers' },
  { layer: 'fault', label: 'Faults, power' },
  { layer: 'other', label: 'Other' },
];

// The log opens on the story (notable events only); the box shows every event when unticked.
export const DEFAULT_FILTER: LogFilter = { node: null, hiddenLayers: [], notableOnly: true };

export function makeFilter(f: LogFilter): (e: TraceEvent) => boolean {
  const hidden = new Set(f.hiddenLayers);
  return (e) => {
    if (f.notableOnly && !isNotable(e)) return false;
    if (hidden.size > 0 && hidden.has(layerOf(e.kind))) return false;
    if (f.node !== null && !nodesOf(e).includes(f.node) && (e as { peer?: string }).peer !== f.node) {
      return false;
    }
    return true;
  };
}
