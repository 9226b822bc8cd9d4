/**
 * The scenario runner: builds the engine, the network (broker first, then the clients) and
 * the applications, applies the timed actions in order (each first emits an `action` event),
 * runs to `untilMs ?? durationMs` and ends the trace with `run.end`.
 *
 * Crash and power-off discard a node's application object; restart and power-on build a
 * fresh one (a restarted broker has no sessions, retained messages or pending Wills unless
 * `broker.persistence` gives it a store on disk, which it then reads back: mqtt/broker/store.ts;
 * Wills are never in it, and the standards let a failed server's Wills wait for a restart that
 * here never brings them back — MQTT §3.1.2.5 "MAY defer", behaviour.md §3.4). `stop` (SIGTERM)
 * lets the broker shut down in order first (mqtt/broker/stop.ts).
 */
import { createEngine } from './engine/engine.ts';
import { createRng } from './engine/rng.ts';
import type { EngineRunner } from './engine/types.ts';
import { createNetwork } from './net/network.ts';
import type { WireSegment } from './net/api.ts';
import { createBroker, discardBroker } from './mqtt/broker/broker.ts';
import { armAutosave, restoreStore } from './mqtt/broker/store.ts';
import { stopBroker } from './mqtt/broker/stop.ts';
import type { Broker, BrokerStats } from './mqtt/broker/state.ts';
import type { Client } from './mqtt/client/state.ts';
import { connectAction, createClient, discardClient, disconnectAction, startClient } from './mqtt/client/client.ts';
import { publish } from './mqtt/client/send.ts';
import { Provenance } from './mqtt/provenance.ts';
import { BROKER_PROFILES } from './profiles/broker-profiles.ts';
import { CLIENT_PROFILES } from './profiles/client-profiles.ts';
import type { RunOptions, RunResult } from './run-types.ts';
import type { Action, ResolvedClient, ResolvedScenario } from './scenario/types.ts';
import type { TraceEvent, TraceFieldsOf } from './trace/types.ts';
import { CHECKER_READS, createInvariantChecker } from './invariants.ts';
import type { InvariantChecker } from './invariants.ts';
import { createPairedCheck } from './paired-check.ts';
import { InvariantViolation } from './invariants.ts';
import { ImpossibleState } from './assert.ts';
import { pauseProcessor, resumeProcessor } from './mqtt/broker/processor.ts';
import { fieldsSink } from './fields-sink.ts';

export { InvariantViolation };

export function runScenario(resolved: ResolvedScenario, options: RunOptions = {}): RunResult {
  const run = startScenario(resolved, options);
  run.advance();
  return run.finish();
}

/** A run being made in slices (`startScenario`); the same run as `runScenario` makes at once. */
export interface ScenarioRun {
  /**
   * Processes up to `budget` more engine events (default: all); true once the run has
   * reached its end time. Between two calls the caller may do anything but touch the run.
   */
  advance(budget?: number): boolean;
  /** Ends the trace with `run.end` and gives the result; once, after `advance` returned true. */
  finish(): RunResult;
}

/** Builds the run (broker, clients, actions queued) without processing any event yet. */
export function startScenario(resolved: ResolvedScenario, options: RunOptions = {}): ScenarioRun {
  const seed = options.seed ?? resolved.seed;
  const profile = BROKER_PROFILES[options.brokerProfile ?? resolved.broker.profile];
  const keepTrace = options.keepTrace ?? true;
  const onEvent = options.onEvent;
  const checker: InvariantChecker | null = (options.checkInvariants ?? true)
    ? createInvariantChecker(seed, resolved) : null;
  const trace: TraceEvent[] = [];
  // Without a kept trace or an onEvent listener, the checker and the caller's onFields read
  // the event fields directly (engine onFields): no trace event object is built per event.
  const full = keepTrace || onEvent !== undefined;
  if (full && options.onFields !== undefined) throw new Error('onFields needs keepTrace: false and no onEvent');
  const sink = full
    ? (ev: TraceEvent) => {
      if (keepTrace) trace.push(ev);
      if (onEvent !== undefined) onEvent(ev);
      if (checker !== null) checker.onEvent(ev);
    }
    : undefined;
  const light = full ? null : fieldsSink(
    options.onFields !== undefined ? { onFields: options.onFields, kinds: options.kinds, focusNodes: options.focusNodes } : null,
    checker !== null ? {
      onFields: checker.onFields, kinds: CHECKER_READS.kinds, timers: CHECKER_READS.timers, packets: CHECKER_READS.packets,
      ...(CHECKER_READS.brokerPacketsOnly ? { mqttNodes: [resolved.broker.id] } : {}),
    } : null,
  );
  const engine: EngineRunner = createEngine({
    seed, ...(sink ? { onEvent: sink } : {}), ...(light ?? {}),
    ...(options.maxEvents !== undefined ? { maxEvents: options.maxEvents } : {}),
  });
  if (checker !== null) engine.afterEach(() => checker.afterEach(engine.now(), engine.lastSeq));
  const onProgress = options.onProgress;
  if (onProgress !== undefined) {
    engine.afterEach(() => {
      if ((engine.eventsProcessed & 4095) === 0) onProgress(engine.now() / 1000, engine.eventsProcessed);
    });
  }

  const brokerId = resolved.broker.id;
  const nodes = [brokerId, ...resolved.clients.map((c) => c.id)];
  const network = createNetwork(engine, { nodes, links: resolved.links });
  // Each host's kernel and sysctls (scenario `tcp`; absent → linux-6.1 defaults).
  network.stack(brokerId).configure(resolved.broker.tcp);
  for (const c of resolved.clients) network.stack(c.id).configure(c.tcp);
  const wire: WireSegment[] = [];
  if (options.recordWire) network.onWire((s) => wire.push(s));

  const stats: BrokerStats = { willsPublished: 0, connections: 0 };
  const brokerConfig = {
    id: brokerId,
    serverKeepAliveSeconds: resolved.broker.serverKeepAliveSeconds,
    maxKeepAliveSeconds: resolved.broker.maxKeepAliveSeconds,
    tcpKeepAlive: resolved.broker.tcpKeepAlive,
    // The store on the broker host's disk outlives the broker process (mqtt/broker/store.ts).
    disk: resolved.broker.persistence === null ? null
      : { ...resolved.broker.persistence, store: null },
  };
  // Which PUBLISHes carry a Will, from the broker to the receiving client's trace (mqtt/provenance.ts).
  const provenance = new Provenance();
  let broker: Broker | null = null;
  const startBroker = (again: boolean) => {
    const b = createBroker(engine, network.host(brokerId), profile, brokerConfig, stats, provenance);
    broker = b;
    if (again) restoreStore(b);
    armAutosave(b);
  };
  // Client groups with a connect window: each member's first connect, drawn in client order
  // from one seeded stream (so --seed re-spreads them; other streams are untouched).
  const windowRng = createRng(seed, 'connect-window');
  const specs = new Map<string, ResolvedClient>(resolved.clients.map((c) => [c.id, c.connectWindow === null ? c
    : { ...c, connectAtMs: windowRng.intInclusive(c.connectWindow.fromMs, c.connectWindow.toMs) }]));
  const clients = new Map<string, Client | null>();
  const startClientApp = (spec: ResolvedClient) => {
    const c = createClient(engine, network.host(spec.id), brokerId, spec, CLIENT_PROFILES[spec.library], provenance);
    clients.set(spec.id, c);
    startClient(c);
  };

  startBroker(false);
  for (const spec of specs.values()) startClientApp(spec);

  const isBroker = (node: string) => node === brokerId;
  /** The application on `node` is gone (`why`: the host lost power, or the process crashed). */
  const stopApp = (node: string, why: string) => {
    if (isBroker(node)) {
      if (broker !== null) discardBroker(broker, why);
      broker = null;
    } else {
      const c = clients.get(node);
      if (c) discardClient(c, why);
      clients.set(node, null);
    }
  };
  const appRunning = (node: string) => (isBroker(node) ? broker !== null : clients.get(node) != null);
  const startApp = (node: string) => {
    if (appRunning(node)) return;
    if (isBroker(node)) startBroker(true);
    else startClientApp(specs.get(node)!);
  };

  const apply = (a: Action) => {
    engine.emit(actionEvent(a, brokerId, 'node' in a ? specs.get(a.node) : undefined, brokerConfig.disk !== null));
    switch (a.do) {
      case 'power-off':
        stopApp(a.node, 'host powered off');
        network.powerOff(a.node);
        return;
      case 'power-on':
        network.powerOn(a.node);
        startApp(a.node);
        return;
      case 'crash':
        stopApp(a.node, 'process crashed');
        network.killProcess(a.node);
        return;
      case 'restart':
        if (network.isUp(a.node)) startApp(a.node);
        return;
      case 'stop':
        // SIGTERM: the broker stops in order where its profile does (mqtt/broker/stop.ts),
        // then the process is gone as after a crash (the kernel closes what is left).
        if (broker !== null) stopBroker(broker, 'process stopped (SIGTERM)');
        broker = null;
        network.killProcess(a.node);
        return;
      case 'disconnect': {
        const c = clients.get(a.node);
        if (c) disconnectAction(c, a.reasonCode ?? 0);
        return;
      }
      case 'connect': {
        const c = clients.get(a.node);
        if (c) connectAction(c);
        return;
      }
      case 'publish': {
        const c = clients.get(a.node);
        if (c) publish(c, a.topic, a.payload, a.qos, a.retain ?? false);
        return;
      }
      case 'nat-flush': network.natFlush(a.link[0], a.link[1]); return;
      case 'pause': if (broker !== null) pauseProcessor(broker.proc); return;
      case 'resume': if (broker !== null) resumeProcessor(broker.proc); return;
      case 'cut': network.cut(a.link[0], a.link[1], a.direction ?? 'both'); return;
      case 'heal': network.heal(a.link[0], a.link[1], a.direction ?? 'both'); return;
      case 'set-link': {
        const change: { latencyMs?: number; jitterMs?: number; loss?: number } = {};
        if (a.latencyMs !== undefined) change.latencyMs = a.latencyMs;
        if (a.jitterMs !== undefined) change.jitterMs = a.jitterMs;
        if (a.loss !== undefined) change.loss = a.loss;
        network.setLink(a.link[0], a.link[1], change);
        return;
      }
    }
  };
  for (const a of resolved.actions) engine.post(a.atMs * 1000, apply, a);

  if (options.pairedCheck) {
    if (!keepTrace) throw new Error('pairedCheck needs keepTrace: the world is reduced from the kept trace');
    const paired = createPairedCheck(resolved, trace, seed, {
      stack: (n) => network.stack(n), broker: () => broker, client: (n) => clients.get(n) ?? null,
    });
    engine.afterEach(() => paired.check(engine.lastSeq, engine.now()));
  }

  const stepEnds: number[] | null = options.stepEnds ? [] : null;
  if (stepEnds !== null) {
    engine.afterEach(() => {
      const last = engine.lastSeq;
      if (last >= 0 && (stepEnds.length === 0 || stepEnds[stepEnds.length - 1] !== last)) stepEnds.push(last);
    });
  }

  const untilMs = options.untilMs ?? resolved.durationMs;
  let reached = false;
  let finished = false;
  return {
    advance(budget?: number): boolean {
      if (reached) return true;
      try {
        reached = engine.runUntil(untilMs * 1000, budget);
      } catch (e) {
        // An assertion on the simulator's own state (assert.ts), reported like an invariant.
        if (!(e instanceof ImpossibleState)) throw e;
        throw new InvariantViolation({ invariant: e.what, message: e.message, seed, eventIndex: engine.lastSeq, tMs: engine.now() / 1000 });
      }
      return reached;
    },
    finish(): RunResult {
      if (!reached || finished) throw new Error(reached ? 'the run was already finished' : 'the run has not reached its end');
      finished = true;
      engine.emit({ kind: 'run.end', events: engine.eventsProcessed });
      const addresses: Record<string, [number, number, number, number]> = {};
      for (const n of nodes) addresses[n] = network.address(n);
      return {
        trace, wire, addresses, ...(stepEnds !== null ? { stepEnds } : {}),
        summary: {
          seed, brokerProfile: profile.name, endMs: untilMs, events: engine.eventsProcessed,
          traceEvents: engine.traceCount, connections: stats.connections, willsPublished: stats.willsPublished,
        },
      };
    },
  };
}

/** The `action` event: do, node or link, then the action's own fields, then `why`. */
/**
 * The action's own fields after `do`, in its order. A resolved action's keys are the
 * schema's `action` fields (test/scenario/event-fields.test.ts checks both ways).
 */
function actionEvent(a: Action, brokerId: string, client: ResolvedClient | undefined, persistent: boolean): TraceFieldsOf<'action'> {
  const ev: TraceFieldsOf<'action'> = { kind: 'action', do: a.do };
  const open = ev as Record<string, unknown>;
  for (const [k, v] of Object.entries(a)) {
    if (k !== 'atMs' && k !== 'do') open[k] = v;
  }
  const why = actionWhy(a, brokerId, client, persistent);
  if (why) ev.why = why;
  return ev;
}

/**
 * The action's `why`: what the fault does, as far as it is decided here. What follows from it
 * elsewhere (a client's Will published at once, after a Will Delay, or dropped) is decided by
 * the broker later and traced there, with its own `why`; this sentence does not promise it.
 */
function actionWhy(a: Action, brokerId: string, client: ResolvedClient | undefined, persistent: boolean): string | null {
  const isBroker = 'node' in a && a.node === brokerId;
  switch (a.do) {
    case 'power-off':
      return isBroker && persistent
        ? 'the broker host loses power: everything since its last save is lost, the store on disk stays; its ' +
          'clients\' Wills are not published (a failed server MAY defer Wills until restart, MQTT §3.1.2.5)'
        : isBroker
        ? 'the broker host loses power: its sessions and its clients\' Wills are lost (a failed ' +
          'server MAY defer Wills until restart, MQTT §3.1.2.5; this broker keeps no store)'
        : `${a.node} loses power: it sends nothing and answers nothing; the broker can only ` +
          'notice through keep-alive or TCP';
    case 'crash':
      return isBroker && persistent
        ? 'the broker process dies (SIGKILL): the kernel closes its sockets; everything since its last save is ' +
          'lost, the store on disk stays; Wills of its clients are not published (MAY defer, MQTT §3.1.2.5)'
        : isBroker
        ? 'the broker process dies: the kernel closes its sockets; Wills of its clients are not ' +
          'published (MAY defer, MQTT §3.1.2.5; no persistent store here)'
        : `the ${a.node} process dies: its kernel closes the socket (FIN), so the broker sees the ` +
          `connection end without DISCONNECT${client !== undefined && client.will === null
            ? `; ${a.node} has no Will, so none is published`
            : ': a lost connection, the case its Will is for'}`;
    case 'pause':
      return 'the broker process is stopped (SIGSTOP): its kernel still completes handshakes into the ' +
        'accept queue, acknowledges data and takes FINs and RSTs, but nothing is accepted, read or answered, ' +
        'no Will goes out and no keep-alive deadline is acted on until "resume"';
    case 'resume':
      return 'the broker process continues (SIGCONT): its poll returns EINTR with no socket read, so it first ' +
        'acts on the timers that came due (keep-alive counted from the last packet it read, not from what waits ' +
        'unread), then reads what waited in its sockets (packets, closed connections: their Wills), then accepts';
    case 'stop':
      return 'the broker process gets SIGTERM and does what its profile\'s stop says before it exits (mosquitto: ' +
        'every Will, then its store, then closes its connections; aedes close(): closes its clients in turn, ' +
        'each Will going out at its client\'s turn or after all); a broker without a handler dies as on a crash';
    case 'cut':
      return 'segments on the link are silently dropped: both ends may keep a half-open connection';
    case 'nat-flush':
      return 'the NAT on the link forgets every flow at once (a reboot, a failover without state sync): ' +
        'segments of existing connections are dropped, the broker\'s answered with the NAT\'s RST';
    default:
      return null;
  }
}
