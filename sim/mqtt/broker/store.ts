/**
 * The broker's on-disk store (scenario `broker.persistence`): saving it on the autosave timer
 * and on an orderly stop, and reading it back when the process starts again. What is saved,
 * on which clock and what a restart arms is profile data (profiles/persistence.ts, citing
 * mosquitto's persist_write.c, persist_read.c, loop.c and mosquitto.c).
 *
 * The store lives on the host's disk (`BrokerConfig.disk`), outside the broker object: a
 * crash or a power cut discards the broker and keeps the disk, so a restart finds the last
 * save and everything that changed after it is lost. Wills are never saved (mosquitto has no
 * Will chunk). Events: broker.store-saved, broker.store-restored, session.restored, and the
 * `broker.autosave` timer.
 */
import { clockSecond, clockSecondStart } from '../../profiles/decisions.ts';
import type { Broker, Session } from './state.ts';
import { NEVER } from './state.ts';
import { counts, saveStore } from './store-save.ts';
import { sessionAfterClose } from './will.ts';
import { whenRunning } from './processor.ts';

const US = 1_000_000;

/** Start the autosave timer of a broker whose profile and scenario keep a store with an interval. */
export function armAutosave(b: Broker): void {
  const disk = b.config.disk;
  const model = b.profile.persistence.value;
  if (disk === null || model === null || disk.autosaveIntervalSeconds === 0) return;
  // A stopped process (SIGSTOP) saves when it continues (src/loop.c checks after its poll).
  const timer = b.autosave = b.engine.timer(() => whenRunning(b.proc, () => {
    if (!b.alive) return;
    saveStore(b, 'autosave');
    timer.set(nextAutosaveAt(b, b.engine.now()));
  }), { node: b.node, timer: 'broker.autosave' });
  timer.set(nextAutosaveAt(b, b.engine.now()));
}

/**
 * The next save after one at `fromUs` (or after the start). mosquitto: `last_backup + interval
 * < now_s` on its whole-second clock, last_backup = now_s at each save (src/loop.c), so saves
 * come every interval + 1 clock seconds; exact profiles save every interval.
 */
export function nextAutosaveAt(b: Broker, fromUs: number): number {
  const interval = b.config.disk!.autosaveIntervalSeconds;
  const model = b.profile.persistence.value!;
  if (model.autosaveClock === 'exact') return fromUs + interval * US;
  const phase = b.profile.keepAlive.value.kind === 'scan' ? b.profile.keepAlive.value.clockPhaseUs : 0;
  return clockSecondStart(clockSecond(fromUs, b.startUs, phase) + interval + 1, b.startUs, phase);
}

/**
 * A broker process that starts again reads its store: persistent sessions (disconnected, with
 * their subscriptions and messages) and retained messages. Nothing saved: it starts empty.
 */
export function restoreStore(b: Broker): void {
  const disk = b.config.disk;
  const model = b.profile.persistence.value;
  if (disk === null) return;
  const st = model === null ? null : disk.store;
  if (st === null) {
    b.engine.emit({
      kind: 'broker.store-restored', node: b.node, savedAtMs: null, sessions: 0, subscriptions: 0, messages: 0, retained: 0,
      why: model === null
        ? `${b.profile.name} keeps no store of its own that this model has: the restarted broker starts empty`
        : 'the broker never saved its store before it went down (the autosave interval had not passed): it starts empty',
      profile: b.profile.name,
    });
    return;
  }
  const n = counts(st);
  const lostMs = (b.engine.now() - st.savedAtUs) / 1000;
  b.engine.emit({
    kind: 'broker.store-restored', node: b.node, savedAtMs: st.savedAtUs / 1000, ...n,
    why: `the broker reads the store it saved at ${st.savedAtUs / 1000} ms (${lostMs} ms ago): its sessions, ` +
      'subscriptions, queued messages and retained messages as they were then; Wills are not in the store',
    profile: b.profile.name,
  });
  for (const m of st.retained) b.retained.set(m.topic, m);
  for (const r of st.sessions) {
    const s: Session = {
      clientId: r.clientId, conn: null, protocol: r.protocol, subscriptions: new Map(r.subscriptions),
      expirySeconds: r.expirySeconds, queue: [...r.queue], inflight: new Map(r.inflight.map(([id, o]) => [id, { ...o }])),
      qos2In: r.qos2In.length === 0 ? null : new Set(r.qos2In), nextId: r.nextId, expiryTimer: null, cleanStart: false,
    };
    b.sessions.set(s.clientId, s);
    if (s.subscriptions.size > 0) b.subscribers.add(s);
    b.engine.emit({
      kind: 'session.restored', node: b.node, clientId: s.clientId, subscriptions: [...s.subscriptions.keys()],
      messages: s.queue.length + s.inflight.size,
      why: model!.restoredExpiryArmed || s.expirySeconds === NEVER
        ? 'read from the store: the session waits, disconnected, for its client'
        : 'read from the store: the session waits, disconnected, for its client; its expiry is not armed until ' +
          'the client connects and leaves again (mosquitto persist_read.c)',
      profile: b.profile.name,
    });
    if (model!.restoredExpiryArmed && s.expirySeconds !== NEVER) sessionAfterClose(b, s, b.engine.now());
  }
}
