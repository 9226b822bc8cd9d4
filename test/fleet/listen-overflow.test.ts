/**
 * The fleet aggregator counts what the broker host's full listen queues did (tcp.listen-overflow,
 * sim/tcp/listen-queue.ts) in the shipped reconnect-storm scenario: drops and SYN cookies, each
 * equal to the trace's own events, and none in the jittered storm, where nothing overflows.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parseScenario, resolveScenario, runScenario } from '../../sim/index.ts';
import { fleetGroups, fleetReport } from '../../sim/fleet/index.ts';

function report(file: string) {
  const p = parseScenario(JSON.parse(readFileSync(new URL(`../../public/scenarios/${file}`, import.meta.url), 'utf8')));
  if (!p.ok) throw new Error(JSON.stringify(p.problems));
  const resolved = resolveScenario(p.scenario);
  const { trace } = runScenario(resolved);
  const r = fleetReport(resolved, trace, { groups: fleetGroups(p.scenario) });
  const total = (key: string) => r.phases.reduce((n, ph) => n + (ph.counts[key] ?? 0), 0);
  const verdicts = trace.filter((e) => e.kind === 'tcp.listen-overflow').map((e) => String((e as { verdict?: string }).verdict));
  return { total, verdicts };
}

describe('listen-queue overflow in the fleet report', () => {
  it('reconnect-storm: every dropped SYN/ACK and every SYN cookie is counted once', () => {
    const { total, verdicts } = report('reconnect-storm.json');
    const drops = verdicts.filter((v) => v.startsWith('drop')).length;
    const cookies = verdicts.filter((v) => v === 'cookie').length;
    expect(drops).toBeGreaterThan(0);
    expect(cookies).toBeGreaterThan(0);
    expect(total('listenDrops')).toBe(drops);
    expect(total('synCookies')).toBe(cookies);
  });

  it('reconnect-storm-jitter: nothing overflows, nothing is counted', () => {
    const { total, verdicts } = report('reconnect-storm-jitter.json');
    expect(verdicts).toEqual([]);
    expect(total('listenDrops')).toBe(0);
    expect(total('synCookies')).toBe(0);
  });
});
