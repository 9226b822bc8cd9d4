/**
 * Assertions on the simulator's own state (sim/assert.ts): each is shown to fire when its
 * state is made impossible by hand (a dead socket with an armed timer, a TIME-WAIT timer in
 * ESTABLISHED, a broker deadline for a connection it closed), and a run that meets one
 * reports it like an invariant, with the seed and the trace event.
 */
import { describe, expect, it } from 'vitest';
import { ImpossibleState } from '../../sim/assert.ts';
import { InvariantViolation } from '../../sim/invariants.ts';
import { createBroker } from '../../sim/mqtt/broker/broker.ts';
import { Provenance } from '../../sim/mqtt/provenance.ts';
import { CLOSED } from '../../sim/mqtt/broker/state.ts';
import { encode } from '../../sim/mqtt/codec.ts';
import { BROKER_PROFILES } from '../../sim/profiles/broker-profiles.ts';
import { makeWorld, PORT } from './tcp/world.ts';
import { run, scenario } from './behaviour/helpers.ts';

/** The client's end of its one connection, with the fields the assertions read. */
const clientEnd = (w: ReturnType<typeof makeWorld>) =>
  [...w.net.stack('sensor').conns.values()][0] as unknown as { dead: boolean; state: string; setState(to: string): void };

const thrown = (f: () => void): ImpossibleState => {
  try { f(); } catch (e) { if (e instanceof ImpossibleState) return e; throw e; }
  throw new Error('no ImpossibleState');
};

describe('assertions on the simulator\'s own state', () => {
  it('a retransmission timer on a destroyed socket', () => {
    const w = makeWorld({ link: { latencyMs: 10 } });
    w.echoServer();
    const log = w.client();
    w.runMs(100);
    w.net.cut('sensor', 'broker', 'both'); // no ACK comes back: the timer stays armed
    log.socket.write(new TextEncoder().encode('hi'));
    // Destroyed without its timers cleared (destroy() clears them): the probe timer is armed.
    clientEnd(w).dead = true;
    const e = thrown(() => w.runMs(5_000));
    expect(e.what).toBe('tcp.timer-on-dead-socket');
    expect(e.message).toMatch(/sensor .*retransmission timer went off after the socket was destroyed/);
  });

  it('a destroyed socket changing state, and a TIME-WAIT timer outside TIME-WAIT', () => {
    const w = makeWorld();
    w.echoServer();
    const log = w.client();
    w.runMs(100);
    const c = clientEnd(w);
    c.dead = true;
    expect(thrown(() => c.setState('FIN-WAIT-1')).what).toBe('tcp.dead-socket-changes-state');
    c.dead = false;
    // The client closes first, so its end waits in TIME-WAIT for 60 s.
    log.socket.close();
    w.runMs(1_000);
    expect(c.state).toBe('TIME-WAIT');
    c.state = 'ESTABLISHED';
    expect(thrown(() => w.runMs(61_000)).what).toBe('tcp.wait-timer-in-wrong-state');
  });

  it('a broker keep-alive deadline for a connection the broker has closed', () => {
    const w = makeWorld();
    const b = createBroker(w.engine, w.net.host('broker'), BROKER_PROFILES.spec, {
      id: 'broker', serverKeepAliveSeconds: null, maxKeepAliveSeconds: null, tcpKeepAlive: null, disk: null,
    }, { willsPublished: 0, connections: 0 }, new Provenance());
    const s = w.net.host('sensor').connect('broker', PORT, {
      onOpen() { s.write(encode({ cmd: 'connect', protocolId: 'MQTT', protocolVersion: 4, clientId: 'x', clean: true, keepalive: 10 }, 4)); },
      onData() {}, onClose() {},
    });
    w.runMs(500);
    const conn = [...b.conns][0]!;
    expect(conn.kaTimer?.due).not.toBeNull();
    // Marked closed without closeConnection, which clears the deadline.
    conn.state = CLOSED;
    const e = thrown(() => w.runMs(20_000));
    expect(e.what).toBe('broker.deadline-after-close');
    expect(e.message).toContain('keep-alive deadline of x');
  });

  it('a run that meets one stops with an InvariantViolation naming the seed and the event', () => {
    let n = 0;
    const s = scenario({ durationMs: 10_000, seed: 5, clients: [{ id: 'c' }] });
    let err: unknown;
    try {
      // Stands in for an assertion deep in the run: thrown while the engine runs an event.
      run(s, { onEvent: () => { if (++n === 40) throw new ImpossibleState('test.assertion', 'made up'); } });
    } catch (e) { err = e; }
    expect(err).toBeInstanceOf(InvariantViolation);
    const v = err as InvariantViolation;
    expect(v.info).toMatchObject({ invariant: 'test.assertion', seed: 5, eventIndex: 39 });
    expect(v.message).toMatch(/broken after trace event #39 .*seed 5.*--seed 5/);
  });
});
