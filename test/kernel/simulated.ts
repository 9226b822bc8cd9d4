/**
 * The simulated side: the same scenario file, with the host TCP settings the real namespaces
 * reported (harness.ts `hostTcp`: kernel profile from `uname -r`, the sysctls as read), run by
 * the simulator, and its trace turned into an Observation (observation.ts) so that the same
 * extractors (quantities.ts) apply. The simulator is loaded lazily: while it cannot parse a
 * scenario (e.g. before the TCP keys exist on this branch) the real side still runs and the
 * comparison says why it has no simulated values.
 */
import type { Ev, Observation, Seg } from './observation.ts';
import { flagsFromNames, markRetransmissions } from './observation.ts';
import type { HostTcp, ScenarioJson } from './harness.ts';

export interface SimOutcome { obs: Observation; scenario: ScenarioJson }

/** The scenario as the simulator gets it: each host's `tcp` replaced by what the kernel reported. */
export function withHostTcp(sc: ScenarioJson, hostTcp: Record<string, HostTcp>): ScenarioJson {
  const copy = JSON.parse(JSON.stringify(sc)) as ScenarioJson;
  const merge = (node: string, tcp: object | undefined) => {
    const real = hostTcp[node];
    if (!real) return tcp;
    // userTimeoutMs is a socket option, not a sysctl: what the real client's socket reported
    // (getsockopt, harness.ts) when it set one, else the scenario's.
    return { ...(tcp && 'userTimeoutMs' in tcp ? { userTimeoutMs: (tcp as { userTimeoutMs: number }).userTimeoutMs } : {}), ...real };
  };
  copy.broker.tcp = merge(copy.broker.id, copy.broker.tcp) as ScenarioJson['broker']['tcp'];
  for (const c of copy.clients) c.tcp = merge(c.id, c.tcp) as typeof c.tcp;
  return copy;
}

export async function runSimulated(sc: ScenarioJson, hostTcp: Record<string, HostTcp>): Promise<SimOutcome | { error: string; scenario: ScenarioJson }> {
  const scenario = withHostTcp(sc, hostTcp);
  let mod: typeof import('../../sim/index.ts');
  try {
    mod = await import('../../sim/index.ts');
  } catch (err) {
    return { error: `simulator did not load: ${(err as Error).message.split('\n')[0]}`, scenario };
  }
  const parsed = mod.parseScenario(scenario);
  if (!parsed.ok) {
    const problems = (parsed.problems as { path?: string; message?: string }[]).map((p) => `${p.path ?? ''} ${p.message ?? JSON.stringify(p)}`.trim());
    return { error: `simulator refused the scenario: ${problems.slice(0, 3).join('; ')}`, scenario };
  }
  try {
    const trace = mod.runScenario(mod.resolveScenario(parsed.scenario)).trace as unknown as Record<string, unknown>[];
    return { obs: observationFromTrace(trace, sc), scenario };
  } catch (err) {
    return { error: `simulator failed: ${(err as Error).message.split('\n')[0]}`, scenario };
  }
}

type T = Record<string, unknown> & { tMs: number; kind: string };

export function observationFromTrace(trace: readonly Record<string, unknown>[], sc: ScenarioJson): Observation {
  const brokerId = sc.broker.id;
  const natted = new Set((sc.links ?? []).filter((l) => l.natIdleTimeoutMs !== undefined).flatMap((l) => l.between).filter((n) => n !== brokerId));
  const connName = new Map<string, string>();
  const counts = new Map<string, number>();
  const nameOf = (conn: string, a: string, b: string) => {
    let n = connName.get(conn);
    if (n === undefined) {
      const client = a === brokerId ? b : a;
      const k = (counts.get(client) ?? 0) + 1;
      counts.set(client, k);
      n = `${client}#${k}`;
      connName.set(conn, n);
    }
    return n;
  };
  // MQTT packets by byte offset in each direction's stream (seq of the first byte).
  const isn = new Map<string, number>();
  const streamPos = new Map<string, number>();
  const packetAt = new Map<string, string[]>();
  const natDropped = new Set<number>();
  const clientOfConn = new Map<string, string>();
  for (const e of trace as T[]) if (e.kind === 'seg.drop' && e.reason === 'nat') natDropped.add(e.id as number);

  const segs: Seg[] = [];
  const events: Ev[] = [];
  for (const e of trace as T[]) {
    switch (e.kind) {
      case 'seg.send': {
        const node = e.node as string;
        const peer = e.peer as string;
        const conn = nameOf(e.conn as string, node, peer);
        const flags = flagsFromNames(e.flags as string);
        const dir = `${e.conn as string}|${node}`;
        const seq = e.tcpSeq as number;
        if (flags.includes('S')) isn.set(dir, (seq + 1) >>> 0);
        const len = e.len as number;
        const mqtt: string[] = [];
        if (len > 0) {
          for (let off = seq; off < seq + len; off++) {
            const p = packetAt.get(`${dir}|${off >>> 0}`);
            if (p) mqtt.push(...p);
          }
        }
        const seg: Seg = { t: e.tMs, from: node, to: peer, conn, flags, seq, ack: e.ack as number, len, mqtt, retx: false };
        const client = node === brokerId ? peer : node;
        if (natted.has(client)) {
          // Sent by the client: seen inside the NAT; reaches the LAN unless the NAT dropped it.
          // Sent by the broker: seen on the LAN; reaches the inside unless the NAT dropped it.
          const dropped = natDropped.has(e.id as number);
          if (node === client) { segs.push({ ...seg, where: 'nat-inside' }); if (!dropped) segs.push(seg); } else { segs.push(seg); if (!dropped) segs.push({ ...seg, where: 'nat-inside' }); }
        } else segs.push(seg);
        break;
      }
      case 'mqtt.send': {
        const dir = `${e.conn as string}|${e.node as string}`;
        const base = isn.get(dir);
        if (base === undefined) break;
        const pos = streamPos.get(dir) ?? 0;
        const k = `${dir}|${(base + pos) >>> 0}`;
        packetAt.set(k, [...(packetAt.get(k) ?? []), e.packet as string]);
        streamPos.set(dir, pos + ((e.bytes as number | undefined) ?? 0));
        if (e.packet === 'CONNECT' && e.clientId) clientOfConn.set(e.conn as string, e.clientId as string);
        break;
      }
      case 'action':
        events.push({ t: e.tMs, kind: 'action', do: e.do as string, node: e.node as string | undefined });
        break;
      case 'client.connected':
        events.push({ t: e.tMs, kind: 'client.connected', node: e.node as string, sessionPresent: e.sessionPresent as boolean });
        break;
      case 'client.keepalive-timeout':
        events.push({ t: e.tMs, kind: 'client.gave-up', node: e.node as string });
        break;
      case 'will.published':
        events.push({ t: e.tMs, kind: 'will', topic: e.topic as string, clientId: e.clientId as string });
        break;
      case 'broker.keepalive-expired':
        events.push({ t: e.tMs, kind: 'broker.ka-expired', clientId: e.clientId as string });
        break;
      case 'broker.takeover':
        events.push({ t: e.tMs, kind: 'broker.takeover', clientId: e.clientId as string });
        break;
      case 'conn.closed':
        if (e.node === brokerId && e.cause === 'timeout') events.push({ t: e.tMs, kind: 'broker.timed-out', clientId: clientOfConn.get(e.conn as string) });
        if (e.node !== brokerId) events.push({ t: e.tMs, kind: 'client.close', node: e.node as string });
        break;
      case 'message.delivered':
        events.push({ t: e.tMs, kind: 'message', node: e.node as string, topic: e.topic as string, text: e.payload as string });
        break;
      default:
        break;
    }
  }
  markRetransmissions(segs);
  return { segs, events };
}
