/**
 * Applies the defaults of scenario format v1 (CONTRACT.md section 2) to a validated file.
 *
 * Input is a `ScenarioV1` that `parseScenario` accepted; nothing here re-validates. Output is
 * a `ResolvedScenario` in which every optional value has its documented default, so that the
 * simulator never needs to know which keys a file left out. Leaves out: profile behaviour
 * (a `reconnect` of null means "the library profile decides", behaviour.md "Client library
 * profiles"); validation (scenario/parse.ts).
 *
 * Host TCP settings come from resolveHostTcp (sim/tcp/settings.ts): a file without `tcp` gets
 * the linux-6.1 profile, what version 1 files meant. Microsecond link keys (`latencyUs`,
 * `jitterUs`) become milliseconds (us / 1000, possibly fractional), on links and on set-link
 * actions alike, so the simulator reads one unit; the network rounds ms × 1000 back to the
 * same integer microseconds.
 */
import { resolveHostTcp } from '../tcp/settings.ts';
import { memberName } from './node-table.ts';
import { LIMITS } from './limits.ts';
import type {
  Action, ClientSpec, ConnectWindow, LinkSpec, ResolvedClient, ResolvedLink, ResolvedScenario, ScenarioV1,
  TcpKeepAliveSpec,
} from './types.ts';

/** Defaults of the file format. Changing one changes what old files mean: don't. */
export const DEFAULTS = {
  seed: 1,
  brokerProfile: 'spec',
  protocol: '3.1.1',
  library: 'mqttjs-5',
  keepAliveSeconds: 60,
  cleanStart: true,
  sessionExpirySeconds: 0,
  qos: 0,
  retain: false,
  willDelaySeconds: 0,
  publishStartMs: 0,
  connectAtMs: 0,
  /** mosquitto.conf(5): autosave_interval defaults to 1800 seconds. */
  autosaveIntervalSeconds: 1800,
  latencyMs: 10,
  jitterMs: 0,
  loss: 0,
  /** Linux's tcp_keepalive_time / _intvl / _probes (ip-sysctl.rst). */
  tcpKeepAlive: { idleSeconds: 7200, intervalSeconds: 75, probes: 9 },
} as const;

function resolveTcpKeepAlive(spec: TcpKeepAliveSpec | false | undefined): Required<TcpKeepAliveSpec> | null {
  if (spec === undefined || spec === false) return null;
  return {
    idleSeconds: spec.idleSeconds ?? DEFAULTS.tcpKeepAlive.idleSeconds,
    intervalSeconds: spec.intervalSeconds ?? DEFAULTS.tcpKeepAlive.intervalSeconds,
    probes: spec.probes ?? DEFAULTS.tcpKeepAlive.probes,
  };
}

function resolveClient(c: ClientSpec): ResolvedClient {
  const at = c.connectAtMs ?? DEFAULTS.connectAtMs;
  const window: ConnectWindow | null = typeof at === 'number' ? null : { fromMs: at.fromMs, toMs: at.toMs };
  return {
    id: c.id,
    clientId: c.clientId ?? c.id,
    protocol: c.protocol ?? DEFAULTS.protocol,
    library: c.library ?? DEFAULTS.library,
    keepAliveSeconds: c.keepAliveSeconds ?? DEFAULTS.keepAliveSeconds,
    cleanStart: c.cleanStart ?? DEFAULTS.cleanStart,
    sessionExpirySeconds: c.sessionExpirySeconds ?? DEFAULTS.sessionExpirySeconds,
    will: c.will === undefined ? null : {
      topic: c.will.topic,
      payload: c.will.payload,
      qos: c.will.qos ?? DEFAULTS.qos,
      retain: c.will.retain ?? DEFAULTS.retain,
      delaySeconds: c.will.delaySeconds ?? DEFAULTS.willDelaySeconds,
    },
    subscriptions: (c.subscriptions ?? []).map((s) => ({ topic: s.topic, qos: s.qos ?? DEFAULTS.qos })),
    publish: (c.publish ?? []).map((p) => ({
      topic: p.topic,
      payload: p.payload,
      qos: p.qos ?? DEFAULTS.qos,
      retain: p.retain ?? DEFAULTS.retain,
      everyMs: p.everyMs,
      startMs: p.startMs ?? DEFAULTS.publishStartMs,
    })),
    connectAtMs: typeof at === 'number' ? at : at.fromMs,
    connectWindow: window,
    reconnect: c.reconnect === undefined ? null : c.reconnect === false ? false : {
      delayMs: c.reconnect.delayMs,
      backoff: c.reconnect.backoff ?? 1,
      maxDelayMs: c.reconnect.maxDelayMs ?? LIMITS.reconnectDelayMs,
      jitter: c.reconnect.jitter ?? 0,
    },
    tcpKeepAlive: resolveTcpKeepAlive(c.tcpKeepAlive),
    tcp: resolveHostTcp(c.tcp),
    // Extension keys appear only when the file gives them, so older files resolve as before.
    ...(c.pingIntervalMs === undefined ? {} : { pingIntervalMs: c.pingIntervalMs }),
  };
}

/**
 * The link spec of each client: the first `links` entry pairing it with the broker (either
 * order). A map, because the benchmark resolves 100,000 clients.
 */
function linkSpecs(brokerId: string, links: readonly LinkSpec[]): Map<string, LinkSpec> {
  const byClient = new Map<string, LinkSpec>();
  for (const l of links) {
    const client = l.between[0] === brokerId ? l.between[1] : l.between[0];
    if (!byClient.has(client)) byClient.set(client, l);
  }
  return byClient;
}

/** One client's link, defaults filled in; `between` is always normalised to `[client, broker]`. */
function resolveLink(clientId: string, brokerId: string, spec: LinkSpec | undefined): ResolvedLink {
  return {
    between: [clientId, brokerId],
    latencyMs: msOf(spec?.latencyMs, spec?.latencyUs) ?? DEFAULTS.latencyMs,
    jitterMs: msOf(spec?.jitterMs, spec?.jitterUs) ?? DEFAULTS.jitterMs,
    loss: spec?.loss ?? DEFAULTS.loss,
    natIdleTimeoutMs: spec?.natIdleTimeoutMs ?? null,
    // Extension keys appear only when the file gives a proxy, so older files resolve as before.
    ...(spec?.proxyIdleTimeoutMs === undefined ? {} : { proxyIdleTimeoutMs: spec.proxyIdleTimeoutMs, proxyClose: spec.proxyClose ?? 'fin' }),
  };
}

/** A quantity given in ms or in us (never both: parse.ts refuses that), in ms. */
function msOf(ms: number | undefined, us: number | undefined): number | undefined {
  return us === undefined ? ms : us / 1000;
}

/**
 * Copies an action so that the resolved scenario shares no objects with the file. A set-link's
 * `latencyUs` / `jitterUs` become `latencyMs` / `jitterMs` in place (key order kept, so the
 * `action` trace event lists its fields as the file did).
 */
function copyAction(a: Action): Action {
  if (a.do === 'set-link') {
    const copy: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(a)) {
      if (k === 'latencyUs') copy.latencyMs = (v as number) / 1000;
      else if (k === 'jitterUs') copy.jitterMs = (v as number) / 1000;
      else copy[k] = v;
    }
    copy.link = [a.link[0], a.link[1]];
    return copy as unknown as Action;
  }
  const copy = { ...a } as Action;
  if ('link' in copy) copy.link = [copy.link[0], copy.link[1]];
  return copy;
}

/**
 * Client groups (CONTRACT.md, "Version 1 extensions"): each `count` entry becomes its members,
 * ids `<id>-<n>` and ClientIds `<clientId>-<n>` (n from 1, zero-padded to the width of
 * `count`); one client object per member (they share nothing but the immutable parts of the
 * spec). Returns the member ids of each group, for links and actions naming the group.
 */
function expandClients(s: ScenarioV1): { clients: ResolvedClient[]; groups: Map<string, string[]> } {
  const clients: ResolvedClient[] = [];
  const groups = new Map<string, string[]>();
  for (const c of s.clients) {
    if (c.count === undefined) { clients.push(resolveClient(c)); continue; }
    const width = String(c.count).length;
    const base = resolveClient(c);
    const ids: string[] = [];
    for (let n = 1; n <= c.count; n++) {
      const id = memberName(c.id, n, width);
      ids.push(id);
      clients.push({ ...base, id, clientId: memberName(base.clientId, n, width) });
    }
    groups.set(c.id, ids);
  }
  return { clients, groups };
}

/** A link or action naming a group stands for one per member, in member order. */
function expandActions(actions: readonly Action[], groups: Map<string, string[]>, brokerId: string): Action[] {
  if (groups.size === 0) return actions.map(copyAction);
  const out: Action[] = [];
  for (const a of actions) {
    const name = 'node' in a ? a.node : 'link' in a ? (a.link[0] === brokerId ? a.link[1] : a.link[0]) : '';
    const members = groups.get(name);
    if (members === undefined) { out.push(copyAction(a)); continue; }
    for (const m of members) {
      const copy = copyAction(a) as Action & { node?: string; link?: [string, string] };
      if ('node' in copy) copy.node = m;
      else if (copy.link !== undefined) copy.link = copy.link[0] === brokerId ? [brokerId, m] : [m, brokerId];
      out.push(copy);
    }
  }
  return out;
}

function expandLinks(links: readonly LinkSpec[], groups: Map<string, string[]>, brokerId: string): LinkSpec[] {
  if (groups.size === 0) return [...links];
  const out: LinkSpec[] = [];
  for (const l of links) {
    const client = l.between[0] === brokerId ? l.between[1] : l.between[0];
    const members = groups.get(client);
    if (members === undefined) out.push(l);
    else for (const m of members) out.push({ ...l, between: [m, brokerId] });
  }
  return out;
}

export function resolveScenario(s: ScenarioV1): ResolvedScenario {
  const brokerId = s.broker.id;
  const { clients, groups } = expandClients(s);
  // Array.prototype.sort is stable (ES2019), so ties keep file order as CONTRACT.md requires.
  const actions = expandActions(s.actions ?? [], groups, brokerId).sort((a, b) => a.atMs - b.atMs);
  const specs = linkSpecs(brokerId, expandLinks(s.links ?? [], groups, brokerId));
  return {
    name: s.name,
    description: s.description ?? '',
    seed: s.seed ?? DEFAULTS.seed,
    durationMs: s.durationMs,
    broker: {
      id: brokerId,
      profile: s.broker.profile ?? DEFAULTS.brokerProfile,
      serverKeepAliveSeconds: s.broker.serverKeepAliveSeconds ?? null,
      maxKeepAliveSeconds: s.broker.maxKeepAliveSeconds ?? null,
      tcpKeepAlive: resolveTcpKeepAlive(s.broker.tcpKeepAlive),
      tcp: resolveHostTcp(s.broker.tcp),
      persistence: s.broker.persistence === undefined || s.broker.persistence.enabled === false ? null
        : s.broker.persistence.autosaveAfterChanges !== undefined
          ? { autosaveIntervalSeconds: 0, autosaveAfterChanges: s.broker.persistence.autosaveAfterChanges }
          : { autosaveIntervalSeconds: s.broker.persistence.autosaveIntervalSeconds ?? DEFAULTS.autosaveIntervalSeconds, autosaveAfterChanges: null },
    },
    clients,
    links: clients.map((c) => resolveLink(c.id, brokerId, specs.get(c.id))),
    actions,
    expect: (s.expect ?? []).map((e) => ({ ...e })),
  };
}
