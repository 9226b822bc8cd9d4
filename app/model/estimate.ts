/**
 * How big a run will be, before it is run. The app computes a whole run up front and keeps
 * every trace event (and the timeline layout built from them) in memory, so a scenario the
 * validator accepts can still be far more than a browser tab can hold: 5,000 clients froze
 * the page, 100,000 never finished, a seven-day run with a 1 s keep-alive ran out of string
 * length. The estimate is cheap (one pass over the clients) and deliberately generous; the
 * app refuses what is over APP_LIMITS with words that say what it can show and that the
 * command line runs anything the validator accepts. The worker also stops a run that goes
 * far past its estimate (simulate.ts), so a wrong estimate fails loudly instead of freezing.
 *
 * Calibrated on the simulator (trace events): a client's connection costs ~40 events, each
 * keep-alive period ~18–20 (PINGREQ/PINGRESP with their segments, ACKs and timers), each
 * QoS 1 publish ~14 plus ~11 per subscriber it is delivered to (measured again after timer.fire
 * joined the trace: the constants below stay a little above).
 */
import type { Scenario } from '../../sim/index.ts';
import { SCENARIO_DEFAULTS, topicMatches } from '../../sim/index.ts';
import { fitsSampled, sampledLanes, FLEET_CLI, FLEET_LIMITS, FLEET_MIN_CLIENTS } from '../fleet/mode.ts';

export const APP_LIMITS = {
  /** Lanes the timeline and nodes the topology can draw legibly. */
  clients: 200,
  /**
   * Trace events the page receives, installs and draws without a task over 200 ms on a busy
   * 2-core machine (test/e2e/careless.test.ts). At ~130,000 events the longest task of
   * installing a run was ~80 ms on an idle machine but 215–290 ms (median of 3) with the
   * machine loaded, mostly decoding and garbage collection; at ~74,000 it stays under 200 ms.
   */
  events: 75_000,
} as const;

/** The command that runs any valid scenario, however large. */
export const CLI_COMMAND = 'npx halfopen run FILE';

const PER_CLIENT = 40;
const PER_KEEPALIVE = 20;
const PER_PUBLISH = 15;
const PER_DELIVERY = 12;
const PER_ACTION = 60;

export interface SizeEstimate { clients: number; events: number }

export function estimateRun(s: Scenario): SizeEstimate {
  const duration = s.durationMs;
  // A client group (`count`) weighs as many clients as it has members.
  const weight = (c: Scenario['clients'][number]): number => c.count ?? 1;
  const clients = s.clients.reduce((n, c) => n + weight(c), 0);
  let events = 20 + PER_ACTION * (s.actions?.length ?? 0);
  const subscribers: { filters: string[]; weight: number }[] = [];
  let publishEntries = 0;
  let filters = 0;
  for (const c of s.clients) {
    const m = weight(c);
    const ka = c.keepAliveSeconds ?? SCENARIO_DEFAULTS.keepAliveSeconds;
    const at = c.connectAtMs ?? 0;
    const alive = Math.max(0, duration - (typeof at === 'number' ? at : at.fromMs));
    events += m * PER_CLIENT;
    if (ka > 0) events += m * PER_KEEPALIVE * (alive / (ka * 1000));
    const tk = c.tcpKeepAlive;
    if (tk && typeof tk === 'object' && 'idleSeconds' in tk && typeof tk.idleSeconds === 'number') {
      events += m * 8 * (alive / (tk.idleSeconds * 1000));
    }
    if (c.subscriptions?.length) {
      subscribers.push({ filters: c.subscriptions.map((x) => x.topic), weight: m });
      filters += c.subscriptions.length;
    }
    publishEntries += c.publish?.length ?? 0;
  }
  const exact = publishEntries * filters <= 2_000_000;
  const allSubscribers = subscribers.reduce((n, sub) => n + sub.weight, 0);
  for (const c of s.clients) {
    for (const p of c.publish ?? []) {
      const count = weight(c) * Math.max(0, duration - (p.startMs ?? 0)) / p.everyMs;
      const fanout = exact
        ? subscribers.filter((sub) => sub.filters.some((f) => topicMatches(f, p.topic))).reduce((n, sub) => n + sub.weight, 0)
        : allSubscribers;
      events += count * (PER_PUBLISH + PER_DELIVERY * fanout);
    }
  }
  return { clients, events: Math.ceil(events) };
}

function plural(n: number, one: string, many: string): string {
  return `${n.toLocaleString('en-US')} ${n === 1 ? one : many}`;
}

export function roughCount(n: number): string {
  if (n >= 1e9) return `${(n / 1e9).toPrecision(2).replace(/\.0$/, '')} billion`;
  if (n >= 1e6) return `${(n / 1e6).toPrecision(2).replace(/\.0$/, '')} million`;
  if (n >= 1e4) return `${Math.round(n / 1000).toLocaleString('en-US')},000`;
  return n.toLocaleString('en-US');
}

export function durationWords(ms: number): string {
  const unit = (n: number, one: string): string => { const v = +n.toFixed(1); return `${v} ${one}${v === 1 ? '' : 's'}`; };
  if (ms >= 86_400_000) return unit(ms / 86_400_000, 'day');
  if (ms >= 3_600_000) return unit(ms / 3_600_000, 'hour');
  if (ms >= 60_000) return unit(ms / 60_000, 'minute');
  return `${+(ms / 1000).toFixed(1)} s`;
}

/** What the app can show, in words (for messages). */
export const APP_CAPACITY =
  `The app shows scenarios of up to ${APP_LIMITS.clients} clients and about ` +
  `${roughCount(APP_LIMITS.events)} events; the command line runs any valid scenario: ${CLI_COMMAND}.`;

/** Whether the app runs this scenario as a sampled fleet (app/fleet/mode.ts). */
export function runsSampled(s: Scenario): boolean {
  return fitsSampled(estimateRun(s), APP_LIMITS, sampledLanes(s.clients));
}

/** Why the app will not run this scenario, or null when it fits. */
export function tooLargeForApp(s: Scenario): string | null {
  const e = estimateRun(s);
  if (e.clients <= APP_LIMITS.clients && e.events <= APP_LIMITS.events) return null;
  // A fleet runs sampled: aggregates of every device, events of a few (app/fleet/mode.ts).
  if (fitsSampled(e, APP_LIMITS, sampledLanes(s.clients))) return null;
  const size = `${plural(e.clients, 'client', 'clients')} for ${durationWords(s.durationMs)}, about ${roughCount(e.events)} events`;
  const grouped = s.clients.some((c) => c.count !== undefined);
  if (grouped && e.clients >= FLEET_MIN_CLIENTS && (e.clients > FLEET_LIMITS.clients || e.events > FLEET_LIMITS.events)) {
    // A fleet the sampled run cannot take: say which bound, and why it is one. (The scenario
    // format allows no more than FLEET_LIMITS.clients devices: the events are what refuse.)
    const why = e.clients > FLEET_LIMITS.clients
      ? `more than the ${roughCount(FLEET_LIMITS.clients)} devices whose state fits in this tab's memory`
      : `more than the ${roughCount(FLEET_LIMITS.events)} events this tab computes in a few minutes`;
    return `“${s.name.length > 80 ? `${s.name.slice(0, 80)}…` : s.name}” is too large to run in the browser (${size}: ${why}). `
      + `The command line runs it whole, with the same fleet aggregates: ${FLEET_CLI}.`;
  }
  return `“${s.name.length > 80 ? `${s.name.slice(0, 80)}…` : s.name}” is too large to show here (${size}). ${APP_CAPACITY}`;
}
