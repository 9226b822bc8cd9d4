/**
 * Will Messages and session ends in the broker (MQTT 3.1.1 §3.1.2.5, 5.0 §3.1.2.5, §3.1.3.2.2).
 *
 * A Will is published when the connection closes without the deleting DISCONNECT
 * [MQTT-3.1.2-8]; in 5.0 after the Will Delay or when the session ends, whichever is first
 * [MQTT-3.1.3-9]; it is removed once published [MQTT-3.1.2-10]. Profile differences come from
 * profiles/decisions.ts. Session Expiry [MQTT-4.1.0-2] ends a stored session and publishes a
 * still-pending Will. Events: will.published, will.scheduled, will.discarded, session.expired,
 * timer.set / timer.clear for broker.will-delay and broker.session-expiry.
 */
import type { WillDiscardedCause, WillPublishedCause } from '../../trace/types.ts';
import { sessionTimerAt } from '../../profiles/decisions.ts';
import { routeMessage } from './routing.ts';
import type { Broker, PendingWill, Session, Will } from './state.ts';
import { NEVER } from './state.ts';
import { whenRunning } from './processor.ts';

export function publishWill(
  b: Broker, clientId: string, conn: string, will: Will, cause: WillPublishedCause,
  why: string, rule: string,
): void {
  b.stats.willsPublished++;
  b.engine.emit({
    kind: 'will.published', node: b.node, clientId, topic: will.topic, cause, conn,
    payload: will.payload, qos: will.qos, retain: will.retain, why, rule, profile: b.profile.name,
  });
  routeMessage(b, {
    topic: will.topic, payload: will.payload, qos: will.qos, retain: will.retain,
    from: { origin: 'will', originClientId: clientId, originConn: conn },
  });
}

export function discardWill(
  b: Broker, clientId: string, conn: string, cause: WillDiscardedCause, why: string, rule: string,
): void {
  b.engine.emit({
    kind: 'will.discarded', node: b.node, clientId, cause, conn, why, rule, profile: b.profile.name,
  });
}

/** Wait the Will Delay (will.scheduled), then publish with cause delay-elapsed. */
export function scheduleWill(b: Broker, clientId: string, conn: string, will: Will, fromUs: number): void {
  const dueUs = sessionTimerAt(b.profile, fromUs, will.delaySeconds, b.startUs);
  const timer = b.engine.timer(() => whenRunning(b.proc, () => {
    if (!b.alive || b.pendingWills.get(clientId) !== pending) return;
    b.pendingWills.delete(clientId);
    publishWill(b, clientId, conn, will, 'delay-elapsed',
      `the Will Delay Interval of ${will.delaySeconds} s has passed since the connection closed ` +
      '(§3.1.3.2.2)', 'MQTT-3.1.3-9');
  }), { node: b.node, timer: 'broker.will-delay', clientId });
  const pending: PendingWill = { clientId, conn, will, timer, dueUs };
  const previous = b.pendingWills.get(clientId);
  if (previous) previous.timer.clear();
  b.pendingWills.set(clientId, pending);
  b.engine.emit({
    kind: 'will.scheduled', node: b.node, clientId, dueMs: dueUs / 1000, conn,
    delaySeconds: will.delaySeconds,
    why: `MQTT 5 Will Delay Interval ${will.delaySeconds} s: the Will waits unless the client ` +
      'reconnects first [MQTT-3.1.3-9]',
    rule: 'MQTT-3.1.3-9', profile: b.profile.name,
  });
  timer.set(dueUs);
}

/** Take the pending delayed Will of a ClientId out of the schedule (or null). */
export function takePendingWill(b: Broker, clientId: string): PendingWill | null {
  const p = b.pendingWills.get(clientId);
  if (!p) return null;
  b.pendingWills.delete(clientId);
  p.timer.clear();
  return p;
}

/** A session whose connection closed: end it now (SEI=0 / CleanSession=1) or start expiry. */
export function sessionAfterClose(b: Broker, s: Session, fromUs: number): void {
  if (s.expirySeconds === 0) {
    endSession(b, s, 'the session lasts as long as the Network Connection ([MQTT-3.1.2-6], SEI=0)');
    return;
  }
  if (s.expirySeconds === NEVER) return;
  const dueUs = sessionTimerAt(b.profile, fromUs, s.expirySeconds, b.startUs);
  const timer = s.expiryTimer ??= b.engine.timer(() => whenRunning(b.proc, () => onSessionExpiry(b, s)),
    { node: b.node, timer: 'broker.session-expiry', clientId: s.clientId });
  timer.set(dueUs);
}

function onSessionExpiry(b: Broker, s: Session): void {
  if (!b.alive || b.sessions.get(s.clientId) !== s || s.conn !== null) return;
  b.engine.emit({
    kind: 'session.expired', node: b.node, clientId: s.clientId,
    why: `[MQTT-4.1.0-2] Session Expiry Interval of ${s.expirySeconds} s passed after the close`,
    rule: 'MQTT-4.1.0-2', profile: b.profile.name,
  });
  removeSession(b, s);
  const p = takePendingWill(b, s.clientId);
  if (p) {
    publishWill(b, s.clientId, p.conn, p.will, 'session-ended',
      'the session expired before the Will Delay ran out; a session end publishes the Will (§3.1.3.2.2)',
      'MQTT-3.1.3-9');
  }
}

/** End a session without expiry (CleanSession=1 / SEI=0 close, or Clean Start=1). */
export function endSession(b: Broker, s: Session, why: string): void {
  removeSession(b, s);
  b.engine.emit({ kind: 'session.discarded', node: b.node, clientId: s.clientId, why, profile: b.profile.name });
}

export function removeSession(b: Broker, s: Session): void {
  if (b.sessions.get(s.clientId) === s) b.sessions.delete(s.clientId);
  b.subscribers.delete(s);
  s.expiryTimer?.clear();
}
