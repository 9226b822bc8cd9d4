/**
 * Topic names and topic filters (MQTT 3.1.1 §4.7, MQTT 5.0 §4.7).
 *
 * `+` matches exactly one level, `#` the parent level and any number of child levels and must
 * be last [MQTT-4.7.1-2]; `+` must occupy a whole level [MQTT-4.7.1-3]. Filters starting with a
 * wildcard do not match topic names starting with `$` [MQTT-4.7.2-1]. Topic names and filters
 * are at least one character long [MQTT-4.7.3-1] and contain no U+0000 [MQTT-4.7.3-2].
 * Leaves out: shared subscriptions ($share/…), UTF-8 well-formedness checks.
 */

/** True if `name` is a valid topic name for PUBLISH (no wildcards, non-empty). */
export function isValidTopicName(name: string): boolean {
  if (name.length === 0 || name.length > 65535) return false;
  for (let i = 0; i < name.length; i++) {
    const c = name.charCodeAt(i);
    if (c === 0x2b /* + */ || c === 0x23 /* # */ || c === 0) return false;
  }
  return true;
}

/** True if `filter` is a valid topic filter for SUBSCRIBE/UNSUBSCRIBE. */
export function isValidTopicFilter(filter: string): boolean {
  if (filter.length === 0 || filter.length > 65535) return false;
  const levels = filter.split('/');
  for (let i = 0; i < levels.length; i++) {
    const level = levels[i]!;
    if (level.includes('\u0000')) return false;
    if (level.includes('#') && (level !== '#' || i !== levels.length - 1)) return false;
    if (level.includes('+') && level !== '+') return false;
  }
  return true;
}

/** Does the topic filter match the topic name? Both are assumed valid. */
export function topicMatches(filter: string, name: string): boolean {
  if (filter === name) return true;
  // [MQTT-4.7.2-1]: a filter starting with a wildcard never matches a $-topic.
  const f0 = filter.charCodeAt(0);
  if (name.charCodeAt(0) === 0x24 /* $ */ && (f0 === 0x2b || f0 === 0x23)) return false;
  const f = filter.split('/');
  const n = name.split('/');
  for (let i = 0; i < f.length; i++) {
    const level = f[i]!;
    // '#' matches the parent level and any number of child levels ("sport/#" matches "sport").
    if (level === '#') return true;
    if (i >= n.length) return false;
    if (level !== '+' && level !== n[i]) return false;
  }
  return f.length === n.length;
}
