/**
 * The `stop` action on the broker: SIGTERM. A profile whose process stops in order
 * (`orderlyStop`, mosquitto.c main after the loop) first publishes the Will of every connected
 * client and every delayed Will (cause `server-closed`: the server closes the Network
 * Connection without the client's DISCONNECT, [MQTT-3.1.2-8]), then writes its store
 * (broker.persistence), then closes every connection itself (FIN after what it had to send),
 * and only then is gone. A profile that does not (aedes, no SIGTERM handler) dies as on a
 * crash: run.ts then lets the kernel close the sockets.
 */
import type { Broker } from './state.ts';
import { CLOSED, CONNECTED } from './state.ts';
import { discardBroker } from './broker.ts';
import { saveStore } from './store-save.ts';
import { publishWill } from './will.ts';

export function stopBroker(b: Broker, why: string): void {
  if (b.profile.orderlyStop.value) {
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
  discardBroker(b, why);
}
