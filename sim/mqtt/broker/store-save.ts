/**
 * Writing the broker's store (store.ts reads it back): what a save holds (a copy of the
 * sessions the profile keeps and every retained message) and the changes mosquitto counts for
 * `autosave_on_changes`. Kept apart from store.ts so that routing, which counts changes, does
 * not import the restore path (which needs will.ts, which routes Wills).
 */
import type { Broker, Session, StoredSession, StoredState } from './state.ts';

function keeps(b: Broker, s: Session): boolean {
  return b.profile.persistence.value!.sessions === 'clean-start-0' ? !s.cleanStart : s.expirySeconds > 0;
}

/** What the store would hold now: copies, so later changes in memory do not reach the disk. */
export function snapshot(b: Broker): StoredState {
  const sessions: StoredSession[] = [];
  for (const s of b.sessions.values()) {
    if (!keeps(b, s)) continue;
    sessions.push({
      clientId: s.clientId, protocol: s.protocol, subscriptions: [...s.subscriptions], expirySeconds: s.expirySeconds,
      queue: [...s.queue], inflight: [...s.inflight].map(([id, o]) => [id, { ...o }]),
      qos2In: s.qos2In === null ? [] : [...s.qos2In], nextId: s.nextId,
    });
  }
  return { savedAtUs: b.engine.now(), sessions, retained: [...b.retained.values()] };
}

export function counts(st: StoredState): { sessions: number; subscriptions: number; messages: number; retained: number } {
  let subscriptions = 0;
  let messages = 0;
  for (const s of st.sessions) {
    subscriptions += s.subscriptions.length;
    messages += s.queue.length + s.inflight.length;
  }
  return { sessions: st.sessions.length, subscriptions, messages, retained: st.retained.length };
}

/**
 * One change, as mosquitto 2.0.11 counts them for `autosave_on_changes` (db.persistence_changes):
 * a retained message stored or deleted (retain.c retain__store), a CONNECT with Clean Start 0
 * (handle_connect.c), a SUBSCRIBE or an UNSUBSCRIBE (handle_subscribe.c, handle_unsubscribe.c),
 * a message queued (database.c db__message_insert, state queued), a PUBACK or PUBCOMP received
 * (database.c db__message_delete_outgoing). src/loop.c saves once the count reaches
 * autosave_interval and starts again from 0; here the save follows the change at once (the
 * loop checks right after handling the packets that woke it).
 */
export function countChange(b: Broker): void {
  const n = b.config.disk?.autosaveAfterChanges ?? null;
  if (n === null || b.profile.persistence.value === null) return;
  if (++b.changes < n) return;
  b.changes = 0;
  saveStore(b, 'changes');
}

/** Write the store (autosave, after enough changes, or the last save of an orderly stop). */
export function saveStore(b: Broker, reason: 'autosave' | 'changes' | 'shutdown'): void {
  const disk = b.config.disk;
  if (disk === null || b.profile.persistence.value === null) return;
  const st = snapshot(b);
  disk.store = st;
  const n = counts(st);
  b.engine.emit({
    kind: 'broker.store-saved', node: b.node, reason, ...n,
    why: reason === 'autosave'
      ? `the autosave interval (${disk.autosaveIntervalSeconds} s) passed: the broker writes its store; a crash ` +
        'or power cut from now on loses only what changes after this save'
      : reason === 'changes'
        ? `${disk.autosaveAfterChanges} changes since the last save (mosquitto autosave_on_changes): the broker writes its store`
        : 'the broker stops in order and writes its store before closing its connections',
    profile: b.profile.name,
  });
}
