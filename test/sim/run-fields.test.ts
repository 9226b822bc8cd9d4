/**
 * RunOptions.onFields / kinds (sim/fields-sink.ts): the light listener the CLI uses. It gets
 * the events of the kinds it names, exactly the events onEvent would have received (the same
 * fields, seq and time), whether the invariant checker shares the engine's sink or not, and
 * it changes nothing in the run.
 */
import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseScenarioText, resolveScenario, runScenario } from '../../sim/index.ts';
import type { Kind, TraceEvent } from '../../sim/index.ts';
import { createEngine } from '../../sim/engine/engine.ts';
import { fieldsSink } from '../../sim/fields-sink.ts';
import { CHECKER_READS } from '../../sim/invariants.ts';

const root = join(import.meta.dirname, '..', '..');

function load(file: string) {
  const parsed = parseScenarioText(readFileSync(join(root, 'public', 'scenarios', file), 'utf8'));
  if (!parsed.ok) throw new Error(`${file} is invalid`);
  return resolveScenario(parsed.scenario);
}

/** `{ seq, tMs, ...fields }` with the keys whose value is undefined left out (they count as absent). */
function eventOf(f: object, seq: number, nowUs: number): TraceEvent {
  const e: Record<string, unknown> = { seq, tMs: nowUs / 1000 };
  for (const [k, v] of Object.entries(f)) if (v !== undefined) e[k] = v;
  return e as unknown as TraceEvent;
}

const CASES: [string, Kind[] | undefined][] = [
  ['crash-vs-power-off.json', ['will.published', 'conn.closed', 'timer.fire']],
  ['qos1-into-dead-link.json', ['timer.set', 'timer.clear', 'mqtt.send']],
  ['takeover-after-reboot-mosquitto.json', ['broker.takeover', 'seg.drop']],
  ['partition-and-heal.json', undefined],
  // With the checker sharing the sink, seg.send still carries `packets` for this reader.
  ['qos1-survives-outage.json', ['seg.send']],
];

describe('RunOptions.onFields', () => {
  it.each(CASES)('on %s with kinds %j: the events onEvent gets, nothing else, the same summary', (file, kinds) => {
    const resolved = load(file);
    const full = runScenario(resolved, {});
    const wanted = kinds === undefined ? full.trace : full.trace.filter((e) => kinds.includes(e.kind));
    expect(wanted.length).toBeGreaterThan(0);
    for (const checkInvariants of [true, false]) {
      const got: TraceEvent[] = [];
      const r = runScenario(resolved, {
        keepTrace: false, checkInvariants, ...(kinds !== undefined ? { kinds } : {}),
        onFields: (f, seq, nowUs) => { got.push(eventOf(f, seq, nowUs)); },
      });
      expect(JSON.stringify(got)).toBe(JSON.stringify(wanted));
      expect(r.summary).toEqual(full.summary);
    }
  });

  it.each([
    ['crash-vs-power-off.json', ['will.published'], ['crashed']],
    ['qos1-into-dead-link.json', ['seg.drop', 'conn.closed'], ['broker']],
    ['takeover-after-reboot-mosquitto.json', [], ['sensor']],
  ] as [string, Kind[], string[]][])('on %s with kinds %j and focusNodes %j: every event of those nodes (and of none), the kinds of the rest', (file, kinds, focus) => {
    const resolved = load(file);
    const full = runScenario(resolved, {});
    // What the reader must see; it may get more (other nodes' events at sites that do not
    // narrow by node), which it ignores, but never less, and each with its true seq.
    const node = (e: TraceEvent): string | undefined => (e as { node?: string }).node;
    const mustSee = full.trace.filter((e) => kinds.includes(e.kind) || node(e) === undefined || focus.includes(node(e)!));
    expect(mustSee.some((e) => node(e) !== undefined && focus.includes(node(e)!) && e.kind.startsWith('timer.'))).toBe(true);
    for (const checkInvariants of [true, false]) {
      const got: TraceEvent[] = [];
      const r = runScenario(resolved, {
        keepTrace: false, checkInvariants, kinds, focusNodes: focus,
        onFields: (f, seq, nowUs) => { got.push(eventOf(f, seq, nowUs)); },
      });
      const bySeq = new Map(got.map((e) => [e.seq, e]));
      for (const e of mustSee) expect(JSON.stringify(bySeq.get(e.seq))).toBe(JSON.stringify(e));
      // Events of other nodes and kinds are mostly not built: timers, TCP and client states.
      const skipped = (e: TraceEvent): boolean => !kinds.includes(e.kind) && node(e) !== undefined && !focus.includes(node(e)!)
        && (e.kind.startsWith('timer.') || e.kind === 'tcp.state' || e.kind === 'client.state');
      expect(full.trace.filter(skipped).length).toBeGreaterThan(0);
      expect(got.filter(skipped)).toEqual([]);
      expect(r.summary).toEqual(full.summary);
    }
  });

  it('cannot be combined with a kept trace or onEvent (it would not get what it asked for)', () => {
    const resolved = load('crash-vs-power-off.json');
    expect(() => runScenario(resolved, { onFields: () => {} })).toThrow(/onFields needs keepTrace: false and no onEvent/);
    expect(() => runScenario(resolved, { keepTrace: false, onEvent: () => {}, onFields: () => {} })).toThrow(/onFields needs/);
  });

  it('builds only the broker\'s MQTT packet events for the invariant checker alone, every node\'s for a reader of them', () => {
    const built = (user: Parameters<typeof fieldsSink>[0], node: string): number => {
      let n = 0;
      const checker = { onFields: () => {}, ...CHECKER_READS, mqttNodes: ['broker'] };
      const e = createEngine({ seed: 1, ...fieldsSink(user, checker) });
      const build = () => { n++; return { kind: 'mqtt.send', node, peer: 'x', conn: 'c/1', packet: 'PINGREQ', bytes: 2 } as const; };
      e.emitPacket('mqtt.send', node, build, null);
      e.emitPacket('mqtt.recv', node, build as never, null);
      return n;
    };
    expect(built(null, 'broker')).toBe(2);
    expect(built(null, 'sensor')).toBe(0);
    expect(built({ onFields: () => {}, kinds: ['mqtt.recv'] }, 'sensor')).toBe(2);
    expect(built({ onFields: () => {}, kinds: ['conn.closed'] }, 'sensor')).toBe(0);
    // Same run, same seqs: the checker's run ends where the full one does.
    const resolved = load('duplicate-client-id.json');
    const full = runScenario(resolved, {});
    expect(full.trace.some((e) => e.kind === 'mqtt.send' && e.node !== resolved.broker.id)).toBe(true);
    expect(runScenario(resolved, { keepTrace: false, checkInvariants: true }).summary).toEqual(full.summary);
  });

  it('keeps seg.send `packets` for a reader of seg.send, and no packet map for the invariant checker alone', () => {
    const wants = (user: Parameters<typeof fieldsSink>[0], checker: Parameters<typeof fieldsSink>[1]) =>
      createEngine({ seed: 1, ...fieldsSink(user, checker) }).wantsPackets();
    const checker = { onFields: () => {}, ...CHECKER_READS };
    expect(wants(null, checker)).toBe(false);
    expect(wants({ onFields: () => {}, kinds: ['seg.send'] }, checker)).toBe(true);
    expect(wants({ onFields: () => {} }, checker)).toBe(true);
    expect(wants({ onFields: () => {}, kinds: ['conn.closed'] }, checker)).toBe(false);
    expect(wants({ onFields: () => {} }, null)).toBe(true);
    expect(createEngine({ seed: 1, onEvent: () => {} }).wantsPackets()).toBe(true);
    expect(createEngine({ seed: 1 }).wantsPackets()).toBe(false);
    // The checker's run is the same run: its trace with packets left out equals the full one's.
    const resolved = load('qos1-survives-outage.json');
    const full = runScenario(resolved, {});
    expect(full.trace.some((e) => e.kind === 'seg.send' && e.packets !== undefined)).toBe(true);
    expect(runScenario(resolved, { keepTrace: false, checkInvariants: true }).summary).toEqual(full.summary);
  });
});
