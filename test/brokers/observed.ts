/**
 * What the real-broker harness records, in milliseconds since the scenario's start.
 *
 * The proxy records what crossed it (or was held back) and which side closed a connection;
 * the MQTT.js clients record CONNACKs and errors; the watcher records Will deliveries.
 * compare.ts turns this log into the same comparable events as a simulator trace.
 */

export type Side = 'client' | 'broker';

/** How a side of a proxied connection went away, as the proxy saw it. */
export type CloseHow = 'fin' | 'rst' | 'close';

export type ObservedEvent =
  | { tMs: number; kind: 'leg.open'; node: string; leg: number }
  /** An MQTT packet parsed at the proxy. `forwarded` is false when a fault held or dropped it. */
  | {
      tMs: number; kind: 'packet'; node: string; leg: number; from: Side; packet: string;
      forwarded: boolean; clientId?: string; reasonCode?: number; sessionPresent?: boolean;
      topic?: string;
    }
  /**
   * `side` is the side whose socket ended (FIN), was reset (RST) or closed. `passed` says
   * whether the proxy passed the close on to the other side at once (not during power loss
   * or a cut of that direction).
   */
  | { tMs: number; kind: 'leg.closed'; node: string; leg: number; side: Side; how: CloseHow; passed: boolean }
  | { tMs: number; kind: 'fault'; node: string; what: string }
  | { tMs: number; kind: 'client.connected'; node: string; sessionPresent: boolean }
  | { tMs: number; kind: 'client.error'; node: string; message: string }
  | { tMs: number; kind: 'client.close'; node: string }
  | { tMs: number; kind: 'will.received'; topic: string; payload: string };

export interface Recorder {
  /** Milliseconds since the scenario started (negative before it). */
  now(): number;
  record(event: ObservedEvent): void;
}

/** A recorder whose zero can be set once the setup (broker, watcher) is ready. */
export function createRecorder(): Recorder & { events: ObservedEvent[]; start(): void } {
  let t0 = performance.now();
  const events: ObservedEvent[] = [];
  return {
    events,
    start() { t0 = performance.now(); },
    now() { return Math.round((performance.now() - t0) * 10) / 10; },
    record(e) { events.push(e); },
  };
}
