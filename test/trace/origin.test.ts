/**
 * The origin fields (a Will's PUBLISH and its delivery name the Will: origin "will",
 * originClientId, originConn) agree with the will.published they point to, over every golden
 * trace: it came first, with the same topic and payload, on that ClientId and connection; and
 * every message a Will delivery could be is marked, so a reader needs no guess.
 */
import { describe, expect, it } from 'vitest';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { TraceEvent } from '../../sim/index.ts';

const dir = new URL('../golden', import.meta.url).pathname;
const goldens = readdirSync(dir).filter((f) => f.endsWith('.ndjson'));

describe('origin fields in the golden traces', () => {
  it('point to an earlier will.published with the same topic and payload', () => {
    let marked = 0;
    for (const f of goldens) {
      const trace = readFileSync(join(dir, f), 'utf8').trim().split('\n').map((l) => JSON.parse(l) as TraceEvent);
      const wills = new Map<string, TraceEvent & { kind: 'will.published' }>();
      for (const e of trace) {
        if (e.kind === 'will.published' && e.conn !== undefined) wills.set(`${e.clientId}|${e.conn}`, e);
        const o = e as { origin?: string; originClientId?: string; originConn?: string; topic?: string; payload?: string };
        if (o.origin === undefined) continue;
        marked++;
        const w = wills.get(`${o.originClientId}|${o.originConn}`);
        expect(w, `${f} seq ${e.seq}`).toBeDefined();
        expect([o.topic, o.payload], `${f} seq ${e.seq}`).toEqual([w!.topic, w!.payload]);
      }
      // Every delivery on a published Will's topic with its payload is marked in these runs
      // (none of them has a client publish a look-alike).
      for (const e of trace) {
        if (e.kind !== 'message.delivered') continue;
        const lookAlike = [...wills.values()].some((w) => w.seq < e.seq && w.topic === e.topic && w.payload === e.payload);
        if (lookAlike) expect(e.origin, `${f} seq ${e.seq}`).toBe('will');
      }
    }
    expect(marked).toBeGreaterThan(0);
  });
});
