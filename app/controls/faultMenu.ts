/**
 * The faults offered for a node or a link, as data: [label, fault] pairs (RaftScope's menus
 * are tables of [label, function]). The store's injectFault stamps them with the cursor time.
 */
import type { FaultAction } from '../store/types.ts';
import type { NodeView } from '../../sim/index.ts';

export interface FaultItem { label: string; fault: FaultAction; hint: string }

export function nodeFaults(id: string, role: 'broker' | 'client', view: NodeView | undefined): FaultItem[] {
  const host = view?.host ?? 'up';
  const items: FaultItem[] = [];
  if (host === 'off') {
    items.push({ label: 'Power on', fault: { do: 'power-on', node: id }, hint: 'boots with no TCP state' });
  } else {
    items.push({ label: 'Power off', fault: { do: 'power-off', node: id }, hint: 'sends nothing, not even a FIN' });
  }
  if (host === 'crashed') {
    items.push({ label: 'Restart', fault: { do: 'restart', node: id }, hint: 'the process starts again' });
  } else if (host === 'up') {
    items.push({ label: 'Crash', fault: { do: 'crash', node: id }, hint: 'the kernel closes its sockets' });
  }
  if (role === 'client' && host === 'up') {
    items.push({ label: 'Disconnect', fault: { do: 'disconnect', node: id }, hint: 'sends DISCONNECT and closes' });
    items.push({ label: 'Connect', fault: { do: 'connect', node: id }, hint: 'connects now' });
  }
  return items;
}

export function linkFaults(link: [string, string]): FaultItem[] {
  const [a, b] = link;
  return [
    { label: 'Cut both ways', fault: { do: 'cut', link, direction: 'both' }, hint: 'every segment is silently dropped' },
    { label: `Cut ${a} → ${b}`, fault: { do: 'cut', link, direction: 'a->b' }, hint: 'one direction only' },
    { label: `Cut ${b} → ${a}`, fault: { do: 'cut', link, direction: 'b->a' }, hint: 'one direction only' },
    { label: 'Heal both ways', fault: { do: 'heal', link, direction: 'both' }, hint: 'ends every cut' },
    { label: `Heal ${a} → ${b}`, fault: { do: 'heal', link, direction: 'a->b' }, hint: '' },
    { label: `Heal ${b} → ${a}`, fault: { do: 'heal', link, direction: 'b->a' }, hint: '' },
  ];
}
