/**
 * Checks of MQTT topic names, topic filters and UTF-8 strings as a scenario file uses them.
 *
 * Topic names ([MQTT-4.7.3-1..3], MQTT 3.1.1 and 5.0 section 4.7): at least one character,
 * at most 65,535 bytes of UTF-8, no U+0000, and no wildcard characters in a PUBLISH or Will
 * topic ([MQTT-3.3.2-2]). Filters: `#` alone and last ([MQTT-4.7.1-2]), `+` a whole level
 * ([MQTT-4.7.1-3]). Leaves out: matching (the broker's job) and shared subscriptions.
 * Returns a reason, or null when the string is fine.
 */

/** UTF-8 length in bytes, or -1 for a lone surrogate (not encodable, [MQTT-1.5.3-1]). */
export function utf8Length(s: string): number {
  let n = 0;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c < 0x80) n += 1;
    else if (c < 0x800) n += 2;
    else if (c >= 0xd800 && c <= 0xdbff) {
      const d = s.charCodeAt(i + 1);
      if (!(d >= 0xdc00 && d <= 0xdfff)) return -1;
      n += 4; i++;
    } else if (c >= 0xdc00 && c <= 0xdfff) return -1;
    else n += 3;
  }
  return n;
}

/** An MQTT UTF-8 Encoded String: no U+0000 [MQTT-1.5.3-2], encodable, at most 65,535 bytes. */
export function mqttStringProblem(s: string): string | null {
  if (s.includes('\u0000')) return 'must not contain the character U+0000 [MQTT-1.5.3-2]';
  const bytes = utf8Length(s);
  if (bytes < 0) return 'must be valid Unicode (it contains a lone surrogate) [MQTT-1.5.3-1]';
  if (bytes > 65535) return 'must be at most 65,535 bytes of UTF-8 [MQTT-1.5.3]';
  return null;
}

export function topicNameProblem(s: string): string | null {
  if (s.length === 0) return 'must not be empty: a topic has at least one character [MQTT-4.7.3-1]';
  if (s.includes('+') || s.includes('#')) {
    return 'must not contain the wildcards "+" or "#": they are allowed only in subscriptions [MQTT-3.3.2-2]';
  }
  return mqttStringProblem(s);
}

export function topicFilterProblem(s: string): string | null {
  if (s.length === 0) return 'must not be empty: a topic filter has at least one character [MQTT-4.7.3-1]';
  if (s.startsWith('$share/')) {
    // A broker without shared subscriptions must say so (CONNACK Shared Subscription Available
    // 0, SUBACK 0x9E, MQTT 5.0 §3.2.2.3.15); the simulated brokers would instead grant the
    // filter and never match it, so it is refused here rather than silently doing nothing.
    return 'is a shared subscription ("$share/…", MQTT 5.0 §4.8.2), which the simulator does not model; ' +
      'subscribe to the topic filter itself';
  }
  const levels = s.split('/');
  for (let i = 0; i < levels.length; i++) {
    const level = levels[i] ?? '';
    if (level.includes('#') && (level !== '#' || i !== levels.length - 1)) {
      return 'may use "#" only as the whole last level, as in "a/#" [MQTT-4.7.1-2]';
    }
    if (level.includes('+') && level !== '+') {
      return 'may use "+" only as a whole level, as in "a/+/c" [MQTT-4.7.1-3]';
    }
  }
  return mqttStringProblem(s);
}
