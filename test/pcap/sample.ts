/**
 * Test fixture: two hand-built MQTT-over-TCP conversations with every kind of drop the
 * simulator records, retransmissions, a graceful close and a RST from a rebooted host.
 *
 * A: sensor (10.0.0.2:50001), MQTT 3.1.1. Handshake, CONNECT with a Will, CONNACK,
 *    SUBSCRIBE/SUBACK, PUBLISH, a PINGREQ lost on the link and retransmitted, PINGRESP,
 *    DISCONNECT, FIN/FIN, and a last ACK still in flight when the run ends.
 * B: phone (10.0.0.3:50002), MQTT 5.0. Handshake, CONNECT with Session Expiry and Will Delay,
 *    CONNACK, PUBLISH QoS 1/PUBACK, link cut: PINGREQ dropped by the cut, retransmission
 *    dropped by a NAT that forgot the flow; the phone powers off: the broker's PUBLISH and
 *    DISCONNECT (Keep Alive timeout, 0x8D) die at the powered-off host; after power-on the
 *    retransmitted PUBLISH meets a host with no state, which answers RST.
 */
import type { WireSegment } from '../../sim/net/api.ts';
import type { CaptureAnnotation } from '../../sim/pcap/capture.ts';
import { Conversation, mqttBytes } from './conversation.ts';

const S = 1_000_000;
const MS = 1000;

export interface Sample {
  segments: WireSegment[];
  addresses: Record<string, [number, number, number, number]>;
  annotations: CaptureAnnotation[];
}

export function sample(): Sample {
  const a = new Conversation('sensor/1', 'sensor', 'broker', 50001, 1000, 900_000);
  const b = new Conversation('phone/1', 'phone', 'broker', 50002, 4_294_967_000, 7); // seq wraps

  a.handshake(0, 10 * MS);
  a.data('client', 20 * MS, mqttBytes({
    cmd: 'connect', protocolId: 'MQTT', protocolVersion: 4, clean: true, clientId: 'sensor', keepalive: 10,
    will: { topic: 'status/sensor', payload: Buffer.from('offline'), qos: 1, retain: false },
  }));
  a.data('broker', 30 * MS, mqttBytes({ cmd: 'connack', returnCode: 0, sessionPresent: false }));
  a.data('client', 40 * MS, mqttBytes({ cmd: 'subscribe', messageId: 1, subscriptions: [{ topic: 'cmd/#', qos: 1 }] }));
  a.data('broker', 50 * MS, mqttBytes({ cmd: 'suback', messageId: 1, granted: [1] }));
  a.data('client', 60 * MS, mqttBytes({ cmd: 'publish', topic: 'temp', payload: Buffer.from('21.5'), qos: 0, retain: false, dup: false }));
  a.ack('broker', 70 * MS);

  b.handshake(1 * S, 20 * MS);
  b.data('client', 1 * S + 40 * MS, mqttBytes({
    cmd: 'connect', protocolId: 'MQTT', protocolVersion: 5, clean: true, clientId: 'phone', keepalive: 5,
    properties: { sessionExpiryInterval: 60 },
    will: { topic: 'status/phone', payload: Buffer.from('gone'), qos: 0, retain: true, properties: { willDelayInterval: 10 } },
  }, 5));
  b.data('broker', 1 * S + 60 * MS, mqttBytes({ cmd: 'connack', reasonCode: 0, sessionPresent: false }, 5));
  b.data('client', 2 * S, mqttBytes({ cmd: 'publish', topic: 'loc', payload: Buffer.from('52.1,4.3'), qos: 1, messageId: 7, retain: false, dup: false }, 5));
  b.data('broker', 2 * S + 20 * MS, mqttBytes({ cmd: 'puback', messageId: 7, reasonCode: 0 }, 5));

  const ping = a.data('client', 10 * S + 60 * MS, mqttBytes({ cmd: 'pingreq' }), 'loss');
  a.retransmit(ping, 10 * S + 300 * MS);
  a.data('broker', 10 * S + 310 * MS, mqttBytes({ cmd: 'pingresp' }));
  a.data('client', 11 * S, mqttBytes({ cmd: 'disconnect' }));
  a.fin('client', 11 * S + 1);
  a.fin('broker', 11 * S + 10 * MS);

  const ping5 = b.data('client', 7 * S, mqttBytes({ cmd: 'pingreq' }, 5), 'cut');
  b.retransmit(ping5, 7 * S + 200 * MS, 'nat');
  const pub = b.data('broker', 9 * S, mqttBytes({ cmd: 'publish', topic: 'cmd/phone', payload: Buffer.from('ring'), qos: 1, messageId: 1, retain: false, dup: false }, 5), 'host-down');
  b.data('broker', 9 * S + 500 * MS, mqttBytes({ cmd: 'disconnect', reasonCode: 0x8d }, 5), 'host-down');
  b.retransmit(pub, 12 * S);
  const reply = b.segments[b.segments.length - 1] as WireSegment;
  b.rstReply(reply, 12 * S + 20 * MS);
  // The sensor's last ACK leaves just before the run ends.
  a.ack('client', 12 * S + 30 * MS, 'in-flight');

  return {
    // Interleaved out of time order on purpose: the writer sorts by time.
    segments: [...a.segments, ...b.segments],
    addresses: { broker: [10, 0, 0, 1], sensor: [10, 0, 0, 2], phone: [10, 0, 0, 3] },
    annotations: [
      { tUs: 6 * S, text: 'action: cut phone<->broker' },
      { tUs: 8 * S + 500 * MS, text: 'action: power-off phone' },
      { tUs: 12 * S, text: 'action: power-on phone' },
      { tUs: 30 * S, text: 'action: heal phone<->broker' },
    ],
  };
}
