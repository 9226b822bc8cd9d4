/**
 * The paired check over every shipped scenario (the goldens' inputs): after every engine
 * event, the world reduced from the trace equals the simulator's live state.
 */
import { describe, expect, it } from 'vitest';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseScenarioText, resolveScenario, runScenario } from '../../sim/index.ts';

const dir = join(import.meta.dirname, '..', '..', 'public', 'scenarios');
const files = readdirSync(dir).filter((f) => f.endsWith('.json') && f !== 'index.json').sort();

describe('paired check: sim/world equals the live simulator after every engine event', () => {
  for (const f of files) {
    it(f, () => {
      const parsed = parseScenarioText(readFileSync(join(dir, f), 'utf8'));
      if (!parsed.ok) throw new Error(f);
      const r = runScenario(resolveScenario(parsed.scenario), { pairedCheck: true });
      expect(r.trace.length).toBeGreaterThan(0);
    });
  }
});
