// `expect` refuses unknown kinds, so the list of kinds must cover everything a run emits.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { EVENT_KINDS, REQUIRED_KINDS } from '../../sim/scenario/event-kinds.ts';
import { parseScenario, parseScenarioText } from '../../sim/scenario/parse.ts';
import { resolveScenario } from '../../sim/scenario/resolve.ts';
import { runScenario } from '../../sim/run.ts';

const dir = join(import.meta.dirname, '..', '..', 'public', 'scenarios');

describe('event kinds accepted by expect', () => {
  it('include every kind CONTRACT.md section 3 requires', () => {
    expect(REQUIRED_KINDS).toEqual([
      'action', 'mqtt.send', 'mqtt.recv', 'conn.open', 'conn.closed', 'client.connected',
      'client.keepalive-timeout', 'broker.keepalive-expired', 'broker.takeover', 'will.scheduled',
      'will.published', 'will.discarded', 'session.expired',
    ]);
  });

  it('include every kind the shipped scenarios emit, under every broker profile', () => {
    const seen = new Set<string>();
    const files = readdirSync(dir).filter((f) => f.endsWith('.json') && f !== 'index.json');
    expect(files.length).toBeGreaterThan(0);
    for (const f of files) {
      const parsed = parseScenarioText(readFileSync(join(dir, f), 'utf8'));
      expect(parsed.ok ? [] : parsed.problems, f).toEqual([]);
      if (!parsed.ok) continue;
      for (const brokerProfile of ['spec', 'mosquitto-2.0', 'aedes'] as const) {
        for (const e of runScenario(resolveScenario(parsed.scenario), { brokerProfile }).trace) seen.add(e.kind);
      }
    }
    expect([...seen].filter((k) => !EVENT_KINDS.includes(k))).toEqual([]);
  });

  it('an expect entry naming an emitted kind is accepted', () => {
    for (const kind of EVENT_KINDS) {
      const r = parseScenario({
        format: 'halfopen/scenario', version: 1, name: 'k', durationMs: 1000,
        broker: { id: 'broker' }, clients: [], expect: [{ kind }],
      });
      expect(r.ok, kind).toBe(true);
    }
  });
});
