/** The topology's segments in flight (app/view-model/segments.ts) name what the trace says each segment carries. */
import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseScenarioText, resolveScenario, runScenario } from '../../sim/index.ts';
import { buildFlightIndex } from '../../app/view-model/segments.ts';
import { buildSequenceLayout } from '../../app/view-model/sequenceLayout.ts';

const root = new URL('../..', import.meta.url).pathname;

describe('segments in flight', () => {
  it('carry the labels of the timeline\'s arrows: the packets named by seg.send `packets`, retransmissions included', () => {
    const parsed = parseScenarioText(readFileSync(join(root, 'public/scenarios/qos1-survives-outage.json'), 'utf8'));
    if (!parsed.ok) throw new Error('invalid');
    const resolved = resolveScenario(parsed.scenario);
    const { trace } = runScenario(resolved);
    const nodes = [resolved.broker.id, ...resolved.clients.map((c) => c.id)];
    const layout = buildSequenceLayout(trace, nodes, resolved.durationMs, resolved);
    const arrowBySeg = new Map(layout.arrows.map((a) => [a.segId, a]));
    const { flights } = buildFlightIndex(trace);
    const resent = flights.filter((f) => f.retransmit && arrowBySeg.get(f.id)!.kind === 'mqtt');
    expect(resent.length).toBeGreaterThan(0);
    expect(resent.every((f) => /^[A-Z]+/.test(f.label) && f.label.endsWith(' (re)'))).toBe(true);
    for (const f of flights) {
      const a = arrowBySeg.get(f.id)!;
      const shown = a.kind === 'mqtt' ? a.label : a.flags;
      expect(f.label).toBe(f.retransmit ? `${shown} (re)` : shown);
    }
  });
});
