/**
 * The nodes a scenario declares, as the validator learns them, and the check that a pair of
 * names is a link. Every client has exactly one link, to the broker (CONTRACT.md section 2,
 * `links`), so a link is named by a client and the broker, in either order.
 */
import { didYouMean, indexPath } from './check.ts';
import type { Checker } from './check.ts';
import type { ProtocolVersion } from './types.ts';

export interface NodeTable {
  brokerId: string | undefined;
  /**
   * Every client node id: plain clients, group ids and group members (`<id>-<n>`), so links
   * and actions may name any of them and member ids collide with nothing.
   */
  clients: Map<string, { index: number; protocol: ProtocolVersion; group?: { count: number; width: number } }>;
  /** Every declared node id, for suggestions. */
  names: string[];
  /** Clients (groups and their members) whose link has a NAT (`natIdleTimeoutMs`), once links are read. */
  natLinks: Set<string>;
}

/**
 * A pair of node names that is a link: one client and the broker, either order. Every
 * client has exactly one link, to the broker (CONTRACT.md section 2, `links`).
 */
export function checkPair(c: Checker, path: string, v: unknown, nodes: NodeTable): [string, string] | undefined {
  if (!Array.isArray(v) || v.length !== 2 || typeof v[0] !== 'string' || typeof v[1] !== 'string') {
    c.add(path, 'must be a pair of node ids, like ["sensor", "broker"]');
    return undefined;
  }
  const pair: [string, string] = [v[0], v[1]];
  let ok = true;
  for (let k = 0; k < 2; k++) {
    const name = pair[k] ?? '';
    if (name !== nodes.brokerId && !nodes.clients.has(name)) {
      c.add(indexPath(path, k), `no node has the id ${JSON.stringify(name)}${suggestNode(name, nodes)}`);
      ok = false;
    }
  }
  if (!ok) return undefined;
  const brokers = (pair[0] === nodes.brokerId ? 1 : 0) + (pair[1] === nodes.brokerId ? 1 : 0);
  if (brokers !== 1) {
    c.add(path, `a link joins one client and the broker "${nodes.brokerId ?? ''}"; ${JSON.stringify(pair)} does not`);
    return undefined;
  }
  return pair;
}

export function suggestNode(name: string, nodes: NodeTable): string {
  return didYouMean(name, nodes.names);
}

/** A group member's node id: `<id>-<n>`, n zero-padded to `width` (CONTRACT.md, client groups). */
export function memberName(id: string, n: number, width: number): string {
  return `${id}-${String(n).padStart(width, '0')}`;
}
