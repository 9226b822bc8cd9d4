import { describe, expect, it } from 'vitest';
import { phaseFacts } from '../../app/fleet/words.ts';
import type { FleetPhase } from '../../sim/index.ts';

const phase = (maxLie: number, counts: Record<string, number> = {}): FleetPhase => ({
  index: 2, atMs: 360_000, untilMs: 600_000, action: 'restart', target: 'broker', actionEvents: 1, counts,
  connects: 0, disconnects: 0, firstConnections: 0,
  reconnections: { count: 0, first: null, median: null, p99: null, last: null },
  believedAtStart: 0, aliveAtStart: 0, believedAtEnd: 0, aliveAtEnd: 0, maxLie, maxLieAtMs: 416_520,
});

describe('the fleet words after an action', () => {
  it('say one device in the singular, more in the plural', () => {
    expect(phaseFacts(phase(1))).toContain('Up to 1 device was believed online but not alive (from 416.52 s).');
    expect(phaseFacts(phase(2))).toContain('Up to 2 devices were believed online but not alive (from 416.52 s).');
  });

  it('name SYNs lost on the way and the full listen queue\'s drops apart', () => {
    const facts = phaseFacts(phase(0, { synDrops: 3, listenDrops: 502_768, synCookies: 57_108 }));
    expect(facts).toContain('0 keep-alive detections, 0 give-ups, 0 Wills published, 3 SYNs or SYN-ACKs lost on the way.');
    expect(facts).toContain('502,768 dropped by a full listen queue.');
    expect(facts).toContain('57,108 SYN cookies sent.');
  });
});
