/**
 * How much a broker can take, per profile (data, each value citing its source): the backlog
 * its application passes to listen() (the host's somaxconn caps it, tcp/listen-queue.ts) and
 * how long its single thread is busy with a packet.
 *
 * Processing time is charged after the packet is handled: an idle broker answers at once, and
 * is then busy for the packet's cost, so a packet that arrives meanwhile waits its turn
 * (mqtt/broker/processor.ts). One exchange is thus answered exactly as before, and a cost of
 * tens of microseconds only shows where a queue forms: a reconnect storm. (Charging it before
 * the answer would shift every broker reply by that much and change every trace for a delay
 * far below what any single-exchange comparison resolves; the drain rate of a queue, which is
 * what a fleet sees, is the same either way.)
 */
import type { BrokerProfileName } from '../scenario/types.ts';
import type { Cited } from './broker-profiles.ts';

export interface BrokerCapacity {
  /** The backlog argument of the broker's listen() call. */
  listenBacklog: Cited<number>;
  /**
   * Microseconds of the broker's single thread per packet: accepting a connection and handling
   * its CONNECT (`connectUs`), any other packet (`packetUs`).
   */
  processing: Cited<{ connectUs: number; packetUs: number }>;
}

export const BROKER_CAPACITY: Record<BrokerProfileName, BrokerCapacity> = {
  spec: {
    listenBacklog: {
      value: 4096,
      source: 'the standards set no backlog: the host\'s net.core.somaxconn decides (4096 since Linux 5.4)',
    },
    processing: { value: { connectUs: 0, packetUs: 0 }, source: 'the standards set no processing time' },
  },
  'mosquitto-2.0': {
    listenBacklog: {
      value: 100,
      source: 'mosquitto 2.0.11 src/net.c net__socket_listen: listen(sock, 100) (not configurable); ' +
        'mux_epoll.c accepts every queued connection at each wake-up (while net__socket_accept)',
    },
    processing: {
      value: { connectUs: 50, packetUs: 0 },
      source: 'measured on mosquitto 2.0.11 (Linux 6.18, veth, 2 cores; test/kernel accept-queue-overflow): ' +
        'five connections waited in the accept queue with their CONNECTs while mosquitto was stopped ' +
        '(SIGSTOP); after SIGCONT its single thread accepted them and sent the five CONNACKs 206 µs from ' +
        'first to last (gaps 76, 46, 40, 44 µs; a second run 194 µs: 77, 42, 37, 39): about 50 µs per connection (accept, read, CONNECT, ' +
        'CONNACK). Later runs of the same experiment measured 0.1 ms (CI, three runs) and 0.5 ms (a loaded machine) for the same spread: the cost varies with the machine by a factor of several, so the kernel suite checks its order of magnitude. Other packets were not measured (0)',
    },
  },
  aedes: {
    listenBacklog: {
      value: 511,
      source: 'aedes listens through Node\'s net.Server without a backlog: lib/net.js ' +
        'setupListenHandle calls this._handle.listen(backlog || 511)',
    },
    processing: {
      value: { connectUs: 0, packetUs: 0 },
      source: 'not modelled: aedes runs on Node\'s single event loop too, but the one measurement (the ' +
        'accept-queue-overflow experiment with aedes 1.2.0, 2026-12-06) was dominated by a fresh process: ' +
        'first CONNACK 120 ms after SIGCONT, then 2-10 ms per CONNECT, and 40 ms for a lone CONNECT later, ' +
        'which is not a steady-state cost',
    },
  },
};
