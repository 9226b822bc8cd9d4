/**
 * Pure layout of the topology: the broker on the right, the clients in a column on the
 * left (links run roughly horizontally, leaving room for their labels); with many clients,
 * two columns. At most MAX_DRAWN clients are drawn.
 */
export const MAX_DRAWN = 16;

export interface NodePos { id: string; x: number; y: number; role: 'broker' | 'client' }

export function topologyLayout(broker: string, clients: readonly string[], width: number, height: number): {
  nodes: NodePos[]; hidden: number;
} {
  const drawn = clients.slice(0, MAX_DRAWN);
  const nodes: NodePos[] = [{ id: broker, x: width - 80, y: height / 2 - 6, role: 'broker' }];
  const perColumn = drawn.length <= 5 ? 5 : Math.ceil(drawn.length / 2);
  const columns = drawn.length <= 5 ? 1 : 2;
  drawn.forEach((id, i) => {
    const col = Math.floor(i / perColumn);
    const inCol = Math.min(perColumn, drawn.length - col * perColumn);
    const row = i - col * perColumn;
    const top = 34; const bottom = height - 54; // room for the lowest client's two labels
    const y = inCol === 1 ? height / 2 - 6 : top + ((bottom - top) * row) / (inCol - 1);
    const x = columns === 1 ? 60 : 50 + col * 110;
    nodes.push({ id, x, y, role: 'client' });
  });
  return { nodes, hidden: clients.length - drawn.length };
}
