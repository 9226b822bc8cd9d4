/**
 * The worker builds what the views draw with the run (app/view-model/derive.ts) and sends
 * everything in slices (replyParts.ts); the UI thread only puts the slices back and the
 * store holds them beside the trace. These tests pass the messages through structuredClone, as postMessage
 * does, and check that what the UI ends up with is exactly what it would have built itself.
 */
import { describe, it, expect } from 'vitest';
import type { Scenario } from '../../sim/index.ts';
import { simulate } from '../../app/worker/simulate.ts';
import { createReplyAssembler, PART_ITEMS, splitRun } from '../../app/worker/replyParts.ts';
import type { ReplyPart } from '../../app/worker/replyParts.ts';
import type { WorkerReply } from '../../app/worker/protocol.ts';
import { buildSequenceLayout } from '../../app/view-model/sequenceLayout.ts';
import { buildFlightIndex, inFlightAt } from '../../app/view-model/segments.ts';
import { layoutForLanes } from '../../app/view-model/derive.ts';
import { createAppStore, nodeIds } from '../../app/store/store.ts';
import { worldAt as stateAt } from '../../sim/index.ts';
import { resolveScenario } from '../../sim/index.ts';

/** Ten clients publishing every 500 ms for 20 s, one crashing: several thousand events. */
function busy(): Scenario {
  return {
    format: 'halfopen/scenario', version: 1, name: 'Busy', durationMs: 20_000, seed: 3,
    broker: { id: 'broker' },
    clients: Array.from({ length: 10 }, (_, i) => ({
      id: `c${i}`, keepAliveSeconds: 5, will: { topic: `status/c${i}`, payload: 'offline', qos: 1 as const },
      publish: [{ topic: `t/c${i}`, payload: '21.5', qos: 1 as const, everyMs: 500 }],
    })),
    actions: [{ atMs: 8_000, do: 'power-off', node: 'c3' }, { atMs: 12_000, do: 'crash', node: 'c5' }],
  };
}

/** What the UI thread receives: each message cloned (buffers moved) like postMessage. */
function deliver(scenario: Scenario): { reply: WorkerReply; parts: number; largestPart: number } {
  const r = simulate(scenario);
  if (!r.ok) throw new Error(r.message);
  const { ok: _ok, ...run } = r;
  const assembler = createReplyAssembler();
  let reply: WorkerReply | null = null;
  let parts = 0;
  let largestPart = 0;
  for (const { message, transfer } of splitRun(7, run)) {
    const got = structuredClone(message, { transfer }) as WorkerReply | ReplyPart;
    if (got.type === 'part') {
      parts++;
      largestPart = Math.max(largestPart, got.trace?.length ?? 0, got.arrows?.length ?? 0, got.ribbons?.length ?? 0);
      assembler.add(got);
    } else {
      reply = assembler.complete(got);
    }
  }
  if (!reply) throw new Error('no run reply');
  return { reply, parts, largestPart };
}

describe('a run reply in slices', () => {
  it('puts back the trace, its NDJSON and the layout exactly as the UI would build them', () => {
    const scenario = busy();
    const direct = simulate(scenario);
    if (!direct.ok) throw new Error(direct.message);
    expect(direct.trace.length).toBeGreaterThan(3 * PART_ITEMS); // really split
    const { reply, parts, largestPart } = deliver(scenario);
    if (reply.type !== 'run' || !reply.ok) throw new Error('not a run');
    expect(parts).toBeGreaterThan(3);
    expect(largestPart).toBeLessThanOrEqual(PART_ITEMS);
    expect(reply.trace).toEqual(direct.trace);
    expect(reply.ndjson).toBe(direct.ndjson);
    expect('parts' in reply).toBe(false);

    const nodes = nodeIds(scenario);
    const own = buildSequenceLayout(direct.trace, nodes, scenario.durationMs);
    const got = reply.derived!.layout;
    expect(reply.derived!.nodes).toEqual(nodes);
    expect(got.arrows).toEqual(own.arrows);
    expect(got.ribbons).toEqual(own.ribbons);
    expect(got.bands).toEqual(own.bands);
    expect(got.halfOpen).toEqual(own.halfOpen);
    expect(got.markers).toEqual(own.markers);
    expect(got.faults).toEqual(own.faults);
    expect(got.lanes).toEqual(own.lanes);
    expect(got.endMs).toBe(own.endMs);
    expect([...got.eventMs]).toEqual([...own.eventMs]);
    expect([...got.eventLane]).toEqual([...own.eventLane]);
    for (let seq = 0; seq < direct.trace.length; seq++) {
      expect(got.itemBySeq.get(seq)).toEqual(own.itemBySeq.get(seq));
    }
    expect(own.itemBySeq.get(own.arrows[0]!.sendSeq)).toEqual({ type: 'arrow', index: 0 });
  });

  it('the run\'s layout is the one the diagram uses, unless the lanes changed since', () => {
    const scenario = busy();
    const { reply } = deliver(scenario);
    if (reply.type !== 'run' || !reply.ok) throw new Error('not a run');
    const nodes = nodeIds(scenario);
    expect(layoutForLanes(reply.derived!, [...nodes], scenario.durationMs)).toBe(reply.derived!.layout);
    // A client added while its re-run is still in the worker: the diagram builds its own.
    expect(layoutForLanes(reply.derived!, [...nodes, 'c10'], scenario.durationMs)).toBeNull();
    expect(layoutForLanes(reply.derived!, nodes, scenario.durationMs + 1)).toBeNull();
    expect(layoutForLanes(null, nodes, scenario.durationMs)).toBeNull();
    // The Inspector/Topology state and the packets in flight, from the worker's checkpoints
    // and index, equal what the UI computes from scratch (on a copy of the trace: no cache).
    const resolved = resolveScenario(scenario);
    const copy = [...reply.trace];
    for (const seq of [-1, 0, 1999, 2000, 2001, 4567, reply.trace.length - 1]) {
      const tMs = seq < 0 ? 0 : reply.trace[seq]!.tMs;
      expect(stateAt(reply.trace, resolved, seq, tMs)).toEqual(stateAt(copy, resolved, seq, tMs));
      expect(inFlightAt(reply.derived!.flights, seq, tMs)).toEqual(inFlightAt(buildFlightIndex(copy), seq, tMs));
    }
  });

  it('the store holds what comes with a run, and replaces it when the next run installs', async () => {
    const store = createAppStore({ run: async (s) => simulate(s), capture: async () => ({ ok: false, message: 'no' }) }, busy());
    await store.getState().rerun();
    const s = store.getState();
    expect(s.runStatus).toBe('ready');
    const layout = layoutForLanes(s.derived, nodeIds(s.scenario), s.durationMs)!;
    expect(layout.arrows).toEqual(buildSequenceLayout(s.trace, nodeIds(s.scenario), s.durationMs).arrows);
    expect(s.derived!.logOffsets.length).toBe(s.trace.length + 1);
    const first = s.derived;
    store.getState().injectFault({ do: 'power-off', node: 'c1' });
    await store.getState().rerun();
    const t = store.getState();
    expect(t.trace).not.toBe(s.trace);
    expect(t.derived).not.toBe(first);
    expect(t.derived!.logOffsets.length).toBe(t.trace.length + 1);
    expect(t.derived!.faults.some((f) => f.node === 'c1')).toBe(true);
  });

  it('a runner without derived data gets it built once, when the run installs', async () => {
    const bare = { run: async (sc: unknown) => { const r = simulate(sc); if (r.ok) delete (r as { derived?: unknown }).derived; return r; },
      capture: async () => ({ ok: false as const, message: 'no' }) };
    const store = createAppStore(bare, busy());
    await store.getState().rerun();
    const s = store.getState();
    expect(s.derived).not.toBeNull();
    expect(s.derived!.layout.arrows).toEqual(buildSequenceLayout(s.trace, nodeIds(s.scenario), s.durationMs).arrows);
    expect(s.cursorWorld!.at(100, s.trace[100]!.tMs)).toBe(s.cursorWorld!.at(100, s.trace[100]!.tMs));
  });
});
