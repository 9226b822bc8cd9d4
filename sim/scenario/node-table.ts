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
  clients: Map<string, { index: number; protocol: ProtocolVersion }>;
  /** Every declared node id, for suggestions. */
  names: string[];
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
