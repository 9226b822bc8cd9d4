/**
 * What a broker's on-disk store holds, when it is written and what a restart reads back
 * (scenario `broker.persistence`; profile field `persistence`, data in broker-profiles.ts).
 *
 * Read from eclipse/mosquitto at v2.0.11 (the version the kernel suite runs):
 * - src/persist_write.c persist__backup: the file holds every retained message except $SYS
 *   (persist__retain_save), and every client whose `clean_start` is false
 *   (persist__client_save) with its subscriptions (persist__subs_save) and its queued and
 *   in-flight messages both ways (persist__client_messages_save). There is no Will chunk:
 *   Wills are not saved.
 * - src/loop.c mosquitto_main_loop: `if(last_backup + autosave_interval < db.now_s)` saves and
 *   sets last_backup = now_s, on the whole-second clock, starting from the loop's start.
 * - src/mosquitto.c main, after the loop ends on SIGINT/SIGTERM (handle_sigint): every
 *   client's Will is sent (context__send_will, will_delay__send_all), then
 *   persist__backup(true), then every connection is closed (context__cleanup).
 * - src/persist_read.c persist__client_chunk_restore: restored clients are disconnected
 *   contexts with clean_start false and their session expiry interval; no expiry is armed
 *   ("FIXME - we should expire clients here"; session_expiry__add runs only from
 *   context__disconnect), so a restored session waits until its client comes back.
 * A SIGKILL or a power cut runs none of this: the broker restarts from its last save.
 */

export interface PersistenceModel {
  /**
   * Which sessions the store holds: those whose last CONNECT had Clean Start 0 (mosquitto's
   * `clean_start == false`, whatever the Session Expiry), or those that outlive their
   * connection (Session Expiry > 0, the standard's notion).
   */
  sessions: 'clean-start-0' | 'expiry-nonzero';
  /** Autosave instants: mosquitto's whole-second `last_backup + interval < now_s`, or exactly every interval. */
  autosaveClock: 'whole-seconds' | 'exact';
  /** A restored session's expiry: armed at start (true), or only once its client connects and leaves again. */
  restoredExpiryArmed: boolean;
}
