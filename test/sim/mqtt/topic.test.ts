import { describe, expect, it } from 'vitest';
import { isValidTopicFilter, isValidTopicName, topicMatches } from '../../../sim/mqtt/topic.ts';

// Examples from MQTT 3.1.1 / 5.0 §4.7.1 and §4.7.2.
const matches: [string, string, boolean][] = [
  ['sport/tennis/player1/#', 'sport/tennis/player1', true],
  ['sport/tennis/player1/#', 'sport/tennis/player1/ranking', true],
  ['sport/tennis/player1/#', 'sport/tennis/player1/score/wimbledon', true],
  ['sport/#', 'sport', true],
  ['#', 'sport/tennis', true],
  ['sport/tennis/+', 'sport/tennis/player1', true],
  ['sport/tennis/+', 'sport/tennis/player1/ranking', false],
  ['sport/+', 'sport', false],
  ['sport/+', 'sport/', true],
  ['+/+', '/finance', true],
  ['/+', '/finance', true],
  ['+', '/finance', false],
  ['status/#', 'status/sensor-1', true],
  ['status/sensor-1', 'status/sensor-2', false],
  ['a/b', 'a/b/c', false],
  ['a/b/c', 'a/b', false],
  ['#', '$SYS/broker', false],
  ['+/broker', '$SYS/broker', false],
  ['$SYS/#', '$SYS/broker', true],
  ['$SYS/+', '$SYS/broker', true],
];

describe('topicMatches (§4.7)', () => {
  for (const [filter, name, want] of matches) {
    it(`${filter} ${want ? 'matches' : 'does not match'} ${name}`, () => {
      expect(topicMatches(filter, name)).toBe(want);
    });
  }
});

describe('validation', () => {
  it.each([
    ['sport/tennis/#', true], ['#', true], ['+', true], ['sport/+/player1', true], ['+/+', true],
    ['sport/tennis#', false], ['sport/#/ranking', false], ['sport+', false], ['', false],
  ])('filter %s valid=%s', (f, ok) => { expect(isValidTopicFilter(f)).toBe(ok); });
  it.each([
    ['status/sensor-1', true], ['/', true], ['a/+', false], ['a/#', false], ['', false],
  ])('name %s valid=%s', (n, ok) => { expect(isValidTopicName(n)).toBe(ok); });
});
