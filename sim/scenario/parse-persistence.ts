/**
 * `broker.persistence` (Version 1 extension): the broker's on-disk store, as mosquitto's
 * `persistence` and `autosave_interval` options configure it (mosquitto.conf(5)).
 *
 * `enabled` (default true when the object is given) is `persistence true`;
 * `autosaveIntervalSeconds` (default 1800, mosquitto's default) is `autosave_interval`: 0 saves
 * only when the broker stops in order (SIGTERM), as mosquitto does with autosave_interval 0.
 * `autosaveAfterChanges` N instead is `autosave_on_changes true` with `autosave_interval N`:
 * a save once N changes were counted (src/loop.c; what counts: mqtt/broker/store.ts).
 * What is saved and when is profile data (profiles/broker-profiles.ts `persistence`).
 */
import { keyPath } from './check.ts';
import type { Checker, Fields } from './check.ts';
import { LIMITS } from './limits.ts';

export const PERSISTENCE_KEYS = ['enabled', 'autosaveIntervalSeconds', 'autosaveAfterChanges'];

type Out = Record<string, unknown>;

export function parsePersistence(c: Checker, f: Fields, path: string): Out | undefined {
  if (!f.has('persistence')) return undefined;
  const p = keyPath(path, 'persistence');
  const o = c.object(p, f.get('persistence'), PERSISTENCE_KEYS, 'an object like {"enabled": true, "autosaveIntervalSeconds": 1800}');
  if (o === null) return undefined;
  const out: Out = {};
  const enabled = c.bool(o, p, 'enabled');
  if (enabled !== undefined) out.enabled = enabled;
  const every = c.int(o, p, 'autosaveIntervalSeconds', { min: 0, max: LIMITS.autosaveIntervalSeconds });
  if (every !== undefined) out.autosaveIntervalSeconds = every;
  const changes = c.int(o, p, 'autosaveAfterChanges', { min: 1, max: LIMITS.count });
  if (o.has('autosaveIntervalSeconds') && o.has('autosaveAfterChanges')) {
    c.add(keyPath(p, 'autosaveAfterChanges'), 'is given together with "autosaveIntervalSeconds"; mosquitto saves either ' +
      'on a timer or after a number of changes (autosave_on_changes), so give one of them');
  } else if (changes !== undefined) out.autosaveAfterChanges = changes;
  return out;
}
