/**
 * The faults offered for a node or a link, as data: [label, fault] pairs (RaftScope's menus
 * are tables of [label, function]). The store's injectFault stamps them with the cursor time.
 * What each fault does is the simulator's sentence (sim ACTION_DOCS), not the app's: the app
 * only decides which apply where (pause/resume/stop on the broker, nat-flush on a link with a
 * NAT, as the validator allows them: parse-actions.ts BROKER_ONLY and its NAT links).
 */
import type { FaultAction } from '../store/types.ts';
import { ACTION_DOCS } from '../../sim/index.ts';
import type { NodeView } from '../../sim/index.ts';

export interface FaultItem { label: string; fault: FaultAction; hint: string }

const hint = (kind: FaultAction['do']): string => ACTION_DOCS[kind] ?? '';
const item = (label: string, fault: FaultAction): FaultItem => ({ label, fault, hint: hint(fault.do) });

export function nodeFaults(id: string, role: 'broker' | 'client', view: NodeView | undefined): FaultItem[] {
  const host = view?.host ?? 'up';
  const items: FaultItem[] = [];
  items.push(host === 'off' ? item('Power on', { do: 'power-on', node: id }) : item('Power off', { do: 'power-off', node: id }));
  if (host === 'crashed') items.push(item('Restart', { do: 'restart', node: id }));
  else if (host === 'up') items.push(item('Crash', { do: 'crash', node: id }));
  if (role === 'broker' && host === 'up') {
    // Whether the process is stopped is the world's (sim/world `paused`): offer what applies.
    if (view?.paused === true) items.push(item('Resume (SIGCONT)', { do: 'resume', node: id }));
    else items.push(item('Pause (SIGSTOP)', { do: 'pause', node: id }));
    items.push(item('Stop (SIGTERM)', { do: 'stop', node: id }));
  }
  if (role === 'client' && host === 'up') {
    items.push(item('Disconnect', { do: 'disconnect', node: id }));
    items.push(item('Connect', { do: 'connect', node: id }));
  }
  return items;
}

/** `nat`: the link has a NAT (natIdleTimeoutMs), the only links a nat-flush may name. */
export function linkFaults(link: [string, string], nat = false): FaultItem[] {
  const [a, b] = link;
  const items = [
    item('Cut both ways', { do: 'cut', link, direction: 'both' }),
    item(`Cut ${a} → ${b}`, { do: 'cut', link, direction: 'a->b' }),
    item(`Cut ${b} → ${a}`, { do: 'cut', link, direction: 'b->a' }),
    item('Heal both ways', { do: 'heal', link, direction: 'both' }),
    item(`Heal ${a} → ${b}`, { do: 'heal', link, direction: 'a->b' }),
    item(`Heal ${b} → ${a}`, { do: 'heal', link, direction: 'b->a' }),
  ];
  if (nat) items.push(item('NAT forgets all flows', { do: 'nat-flush', link }));
  return items;
}
