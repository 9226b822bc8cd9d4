/**
 * The `stop` action on the broker: SIGTERM. What the process does before it is gone is its
 * profile's `stop` (profiles/broker-profiles.ts StopModel):
 * - `wills-then-close` (mosquitto.c main after the loop): the Will of every connected client
 *   and every delayed Will (cause `server-closed`: the server closes the Network Connection
 *   without the client's DISCONNECT, [MQTT-3.1.2-8]), then the store (broker.persistence),
 *   then it closes every connection itself (FIN after what it had to send);
 * - `close-in-turn` (aedes close()): the clients one at a time, in the order they connected or
 *   in the order of a JavaScript object's keys (aedes: array-index ClientIds first), each Will
 *   at its client's turn or, when it must wait, after every client is closed;
 * - `dies`: nothing; as on a crash.
 * run.ts then lets the kernel close whatever is left.
 */
import type { Broker, BrokerConn, Will } from './state.ts';
import { CLOSED, CONNECTED } from './state.ts';
import { discardBroker } from './broker.ts';
import { saveStore } from './store-save.ts';
import { publishWill } from './will.ts';
import { closeConnection } from './connection.ts';

export function stopBroker(b: Broker, why: string): void {
  const model = b.profile.stop.value;
  if (model.kind === 'wills-then-close') willsThenClose(b, why);
  else if (model.kind === 'close-in-turn') closeInTurn(b, model.atTurnMaxQos, model.order);
  discardBroker(b, why);
}

function willsThenClose(b: Broker, why: string): void {
  for (const c of [...b.conns]) {
    if (c.state !== CONNECTED || c.will === null || c.clientId === null) continue;
    const will = c.will;
    c.will = null;
    publishWill(b, c.clientId, c.socket.conn, will, 'server-closed',
      `[MQTT-3.1.2-8] the broker is stopping and closes the connection of ${c.clientId} without its DISCONNECT, ` +
      'so it sends the Will first (mosquitto.c: context__send_will for every client on shutdown)', 'MQTT-3.1.2-8');
  }
  for (const p of [...b.pendingWills.values()]) {
    b.pendingWills.delete(p.clientId);
    p.timer.clear(why);
    publishWill(b, p.clientId, p.conn, p.will, 'server-closed',
      'the broker is stopping: a Will still waiting for its delay is sent now (mosquitto.c: will_delay__send_all)',
      'MQTT-3.1.3-9');
  }
  saveStore(b, 'shutdown');
  for (const c of [...b.conns]) {
    c.state = CLOSED;
    c.connectTimer?.clear(why);
    c.kaTimer?.clear(why);
    c.socket.close();
  }
}

/**
 * aedes close(): each connected client in turn loses its subscriptions and its socket (FIN);
 * a Will that may go out at once does, to the subscribers not closed yet; the others are
 * published once every client is closed (so no connected client gets them).
 */
function closeInTurn(b: Broker, atTurnMaxQos: 0 | 1 | 2, order: 'connected' | 'object-keys'): void {
  const later: [BrokerConn, string, Will, string][] = [];
  for (const c of turns(b, order)) {
    if (c.state !== CONNECTED || c.clientId === null) continue;
    const cid = c.clientId;
    const will = c.will;
    c.will = null;
    const subscribed = (c.session?.subscriptions.size ?? 0) > 0;
    if (will !== null) {
      const waits = [
        ...(will.qos > atTurnMaxQos ? [`a QoS ${will.qos} Will waits for the offline enqueueing (a promise)`] : []),
        ...(will.retain ? ['a retained Will waits for the retained store (a promise)'] : []),
        ...(subscribed ? [`${cid} first unsubscribes (on the next turn of its event loop)`] : []),
      ];
      if (waits.length === 0) {
        publishWill(b, cid, c.socket.conn, will, 'server-closed',
          `[MQTT-3.1.2-8] the broker is stopping (aedes close()) and closes ${cid} in its turn; ${cid} has no ` +
          `subscription and a QoS ${will.qos} Will that is not retained, so it goes out at once, to the ` +
          'subscribers not closed yet (lib/client.js close: finish)', 'MQTT-3.1.2-8');
      } else {
        later.push([c, cid, will, waits.join(', and ')]);
      }
    }
    closeConnection(b, c, null, true);
  }
  for (const [c, cid, will, waits] of later) {
    publishWill(b, cid, c.socket.conn, will, 'server-closed',
      `[MQTT-3.1.2-8] the broker is stopping (aedes close()); the Will of ${cid} goes out only after every ` +
      `client was closed (${waits}), so no connected client gets it`, 'MQTT-3.1.2-8');
  }
}

/**
 * A canonical array index ("0" to "4294967294", no sign, no leading zero): the keys an
 * ordinary JavaScript object lists first, in numeric order (ECMA-262 OrdinaryOwnPropertyKeys).
 */
export function isArrayIndex(key: string): boolean {
  return /^(?:0|[1-9][0-9]{0,9})$/.test(key) && Number(key) < 4294967295;
}

/**
 * The clients in the order of their turns (the conns list is in connection order). Object-key
 * order is a stable sort: array indices by value, ahead of every other key, which keeps its place.
 */
function turns(b: Broker, order: 'connected' | 'object-keys'): BrokerConn[] {
  const all = [...b.conns];
  if (order === 'connected') return all;
  const index = (c: BrokerConn): number => (c.clientId !== null && isArrayIndex(c.clientId) ? Number(c.clientId) : Infinity);
  return all.sort((x, y) => (index(x) === index(y) ? 0 : index(x) < index(y) ? -1 : 1));
}
