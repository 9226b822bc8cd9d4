/**
 * Pure layout of the topology: the broker in the middle, clients on a circle around it
 * (a semicircle on the left for one or two clients), at most MAX_DRAWN clients drawn.
 */
export const MAX_DRAWN = 16;

export interface NodePos { id: string; x: number; y: number; role: 'broker' | 'client' }

export function topologyLayout(broker: string, clients: readonly string[], width: number, height: number): {
  nodes: NodePos[]; hidden: number;
} {
  const cx = width * 0.62;
  const cy = height / 2;
  const drawn = clients.slice(0, MAX_DRAWN);
  const r = Math.min(width * 0.45, height * 0.38);
  const nodes: NodePos[] = [{ id: broker, x: cx, y: cy, role: 'broker' }];
  const n = drawn.length;
  // Spread over an arc on the left (up to a full circle for many clients).
  const span = n <= 1 ? 0 : Math.min(Math.PI * 2 * (1 - 1 / n), Math.PI * (0.35 * n));
  drawn.forEach((id, i) => {
    const a = Math.PI + (n <= 1 ? 0 : -span / 2 + (span * i) / (n - 1));
    nodes.push({ id, x: cx + r * 1.15 * Math.cos(a), y: cy + r * Math.sin(a), role: 'client' });
  });
  return { nodes, hidden: clients.length - drawn.length };
}
