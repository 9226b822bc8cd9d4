/**
 * How the client's timers show in the trace (timer.set / timer.clear): the keep-alive slot under
 * its current name (client.ping or client.pingresp), and the other client timers.
 */
import type { Client } from './state.ts';
import type { TimerName, TraceFieldsOf } from '../../trace/types.ts';

/** Trace a (re)set of the keep-alive slot under `name`, clearing it under the other name first. */
export function traceKa(c: Client, name: 'client.ping' | 'client.pingresp', dueUs: number): void {
  if (c.kaTraced !== null && c.kaTraced !== name) traceClear(c, c.kaTraced);
  c.kaTraced = name;
  traceTimer(c, name, dueUs);
}

/** The keep-alive slot stopped (connection closed): its traced timer is cleared. */
export function clearKaTrace(c: Client): void {
  if (c.kaTraced !== null) traceClear(c, c.kaTraced);
  c.kaTraced = null;
}

/** A client timer stopped before it went off. */
export function traceClear(c: Client, timer: TimerName): void {
  const e = c.engine;
  if (!e.tracing) return;
  if (e.checkOnly) { e.skipTrace!(); return; } // the checker reads no client timer
  const ev: TraceFieldsOf<'timer.clear'> = { kind: 'timer.clear', node: c.node, timer };
  if (c.socket !== null) ev.conn = c.socket.conn;
  e.emit(ev);
}

export function traceTimer(c: Client, timer: TimerName, dueUs: number): void {
  if (c.engine.tracing) {
    if (c.engine.checkOnly) { c.engine.skipTrace!(); return; } // the checker reads no client timer
    const ev: TraceFieldsOf<'timer.set'> = { kind: 'timer.set', node: c.node, timer, dueMs: dueUs / 1000 };
    if (c.socket !== null) ev.conn = c.socket.conn;
    c.engine.emit(ev);
  }
}

/** Paho's keep-alive check moved with its network loop (keepalive.ts wake): trace the new due. */
export function traceCheckMoved(c: Client, dueUs: number): void {
  traceKa(c, c.ka.pingSent ? 'client.pingresp' : 'client.ping', dueUs);
}
