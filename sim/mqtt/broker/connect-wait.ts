/**
 * The broker's wait for CONNECT on a freshly accepted connection. The standards only say the
 * first packet MUST be CONNECT [MQTT-3.1.0-1] and that a server which gets none "within a
 * reasonable amount of time" SHOULD close; brokers pick the time (profile `connectWait`):
 * aedes a 30 s timer, mosquitto its ordinary keep-alive scan run with a default K of 60 s (so
 * ~90 s), `spec` no limit. A port scanner, or a client whose CONNECT was lost with its
 * connection then cut, is what this is for: without it the socket stays open for ever.
 *
 * Closing is not done here: whoever arms the wait says how the connection closes when it is over
 * (broker.ts passes connection.ts's closeConnection), and closeConnection ends the wait.
 *
 * Leaves out: mosquitto's per-listener and TLS handshake timeouts.
 */
import { keepAliveCloseAt } from '../../profiles/decisions.ts';
import type { Broker, BrokerConn } from './state.ts';
import { AWAITING_CONNECT } from './state.ts';
import { whenRunning } from './processor.ts';

/**
 * Start waiting for CONNECT (at accept), unless the profile sets no limit. `close` ends the
 * connection when the wait is over.
 */
export function armConnectWait(b: Broker, c: BrokerConn, close: () => void): void {
  const wait = b.profile.connectWait.value;
  if (wait.kind === 'none') return;
  const now = b.engine.now();
  const due = wait.kind === 'timeout' ? now + wait.ms * 1000 : keepAliveCloseAt(b.profile, wait.seconds, now, b.startUs);
  c.connectTimer = b.engine.timer(() => whenRunning(b.proc, () => onConnectWaitOver(b, c, now, close)),
    { node: b.node, timer: 'broker.connect-wait', conn: c.socket.conn });
  c.connectTimer.set(due);
}

/** CONNECT arrived, or the connection closed first: stop waiting. */
export function endConnectWait(b: Broker, c: BrokerConn): void {
  const t = c.connectTimer;
  if (t === null) return;
  c.connectTimer = null;
  t.clear();
}

function onConnectWaitOver(b: Broker, c: BrokerConn, acceptedUs: number, close: () => void): void {
  c.connectTimer = null;
  if (!b.alive || c.state !== AWAITING_CONNECT) return;
  const wait = b.profile.connectWait.value;
  const rule = wait.kind === 'timeout'
    ? `its connect timeout of ${wait.ms / 1000} s`
    : wait.kind === 'default-keep-alive'
      ? `its keep-alive scan with the default K of ${wait.seconds} s (1.5 × K on whole seconds)`
      : 'no limit';
  b.engine.emit({
    kind: 'broker.connect-timeout', node: b.node, conn: c.socket.conn,
    waitedMs: (b.engine.now() - acceptedUs) / 1000,
    why: `no CONNECT arrived on ${c.socket.conn}, so ${b.profile.name} closes it after ${rule} ` +
      '(the standards: a Server SHOULD close if no CONNECT comes "within a reasonable amount of time")',
    profile: b.profile.name,
  });
  close();
}
