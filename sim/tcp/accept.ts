/** The application's side of a listener's accept queue (listen-queue.ts has the kernel's rules). */
import type { Listener } from './conn-state.ts';
import type { TcpConn } from './connection.ts';

/**
 * Accept queued connections while the app is ready: each goes to the app (onAccept sets its
 * handlers), then gets the data that arrived while it waited. A connection that died or was
 * closed by its peer in the queue is passed over (the app would read an error or EOF at once).
 */
export function acceptPending(l: Listener): void {
  const q = l.acceptQ;
  while (q.length > 0 && (l.ready === null || l.ready())) {
    const c = q.shift() as TcpConn;
    c.listener = null;
    const held = c.held;
    c.held = null;
    if (c.dead || !c.appOpen) continue;
    l.onAccept(c);
    if (held !== null) for (const b of held) { if (c.dead || c.handlers === null) break; c.handlers.onData(b); }
  }
}
