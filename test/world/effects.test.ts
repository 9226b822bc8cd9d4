/**
 * A jump to an event shows its effects (sim/world/effects.ts): the cursor goes to the last
 * trace event of the engine event that emitted it. Run on the shipped crash-vs-power-off
 * scenario, where a crash and a power-off happen at the same instant as two engine events.
 */
import { describe, it, expect } from 'vitest';
import { readFileSync } from 'node:fs';
import { effectsEnd, parseScenario, resolveScenario, runScenario, worldAt } from '../../sim/index.ts';

const parsed = parseScenario(JSON.parse(readFileSync('public/scenarios/crash-vs-power-off.json', 'utf8')));
if (!parsed.ok) throw new Error('shipped scenario invalid');
const resolved = resolveScenario(parsed.scenario);
const r = runScenario(resolved, { stepEnds: true });
const stepEnds = r.stepEnds!;
const action = (node: string) => r.trace.find((e) => e.kind === 'action' && e.node === node)!.seq;

describe('effectsEnd', () => {
  it('is recorded ascending, one per engine event that emitted, ending at the last event before run.end', () => {
    expect(stepEnds.length).toBeGreaterThan(0);
    expect(stepEnds.every((s, i) => i === 0 || s > stepEnds[i - 1]!)).toBe(true);
    expect(stepEnds.at(-1)).toBe(r.trace.length - 2);
  });

  it('leaves the world at a power-off with the host off, its client not connected, the broker half-open', () => {
    const seq = action('unplugged');
    expect(worldAt(r.trace, resolved, seq, r.trace[seq]!.tMs).nodes['unplugged']!.host).toBe('up');
    const end = effectsEnd(stepEnds, seq);
    expect(r.trace.slice(seq + 1, end + 1).map((e) => e.kind)).toEqual(['timer.clear', 'conn.closed', 'tcp.state', 'host.state']);
    const w = worldAt(r.trace, resolved, end, r.trace[end]!.tMs);
    expect(w.nodes['unplugged']!.host).toBe('off');
    expect(w.nodes['unplugged']!.client!.state).not.toBe('connected');
    expect(w.pairs.find((p) => p.ends[0] === 'unplugged')).toMatchObject({ halfOpen: true, closing: false, believer: 'broker' });
  });

  it('leaves the world at a crash with the FIN on its way: closing, not half-open', () => {
    const seq = action('crashed');
    const end = effectsEnd(stepEnds, seq);
    expect(end).toBeLessThan(action('unplugged'));
    const w = worldAt(r.trace, resolved, end, r.trace[end]!.tMs);
    expect(w.nodes['crashed']!.host).toBe('crashed');
    expect(w.pairs.find((p) => p.ends[0] === 'crashed')).toMatchObject({ halfOpen: false, closing: true, believer: 'broker' });
  });

  it('is the event itself without recorded ends', () => {
    expect(effectsEnd(null, 7)).toBe(7);
    expect(effectsEnd([3, 9], 10)).toBe(10);
    expect(effectsEnd([3, 9], 4)).toBe(9);
    expect(effectsEnd([3, 9], 3)).toBe(3);
  });
});
