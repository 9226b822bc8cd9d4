/**
 * Pure layout of the topology: the broker on the right, the clients in a column on the
 * left (links run roughly horizontally, leaving room for their labels); with many clients,
 * two columns. At most MAX_DRAWN clients are drawn. A client group is one node (`count`).
 *
 * Crowded (more than SPACIOUS clients): the nodes are smaller and their two lines of words
 * stand to their left instead of under them (under, they ran into the next node's), and
 * `crowded` tells the links to leave out the words that meet at the broker's end.
 */
export const MAX_DRAWN = 16;
export const SPACIOUS = 5;

export interface NodePos {
  id: string; x: number; y: number; role: 'broker' | 'client';
  /** Radius of the node's circle. */
  r: number;
  /** Where its name and state stand: under the circle, or to its left. */
  labels: 'below' | 'left';
  /** A client group: how many devices it stands for. */
  count?: number;
}

export interface ClientEntry { id: string; count?: number }

export function topologyLayout(broker: string, clients: readonly (string | ClientEntry)[], width: number, height: number): {
  nodes: NodePos[]; hidden: number; crowded: boolean;
} {
  const entries = clients.map((c) => (typeof c === 'string' ? { id: c } : c));
  const drawn = entries.slice(0, MAX_DRAWN);
  const crowded = drawn.length > SPACIOUS;
  const nodes: NodePos[] = [{ id: broker, x: width - 80, y: height / 2 - 6, role: 'broker', r: 30, labels: 'below' }];
  const columns = drawn.length <= (crowded ? 8 : SPACIOUS) ? 1 : 2;
  const perColumn = Math.ceil(drawn.length / columns);
  drawn.forEach((c, i) => {
    const col = Math.floor(i / perColumn);
    const inCol = Math.min(perColumn, drawn.length - col * perColumn);
    const row = i - col * perColumn;
    const top = crowded ? 20 : 34;
    const bottom = crowded ? height - 20 : height - 54; // room for the lowest client's labels
    const y = inCol === 1 ? height / 2 - 6 : top + ((bottom - top) * row) / (inCol - 1);
    // Crowded: labels to the left, so each column leaves ~110 px for them.
    const x = crowded ? (columns === 1 ? 120 : 105 + col * 145) : (columns === 1 ? 60 : 50 + col * 110);
    nodes.push({
      id: c.id, x, y, role: 'client', r: crowded ? 11 : 22, labels: crowded ? 'left' : 'below',
      ...(c.count !== undefined ? { count: c.count } : {}),
    });
  });
  return { nodes, hidden: entries.length - drawn.length, crowded };
}
