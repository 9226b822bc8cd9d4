import { effectsEnd } from '../../sim/index.ts';
import { describe, it, expect } from 'vitest';
import { createAppStore } from '../../app/store/store.ts';
import { simulate, capture } from '../../app/worker/simulate.ts';
import type { SimRunner } from '../../app/worker/runner.ts';
import { DEFAULT_SCENARIO } from '../../app/defaultScenario.ts';
import { encodeSharePayload } from '../../app/share/shareLink.ts';
import { PERSISTENCE, exportScenarioText } from '../../app/store/persistence.ts';
import type { Scenario } from '../../sim/index.ts';
import { inMsOrUs } from '../../app/scenarios/linkUnits.ts';

/** The worker's code, called directly: deterministic and synchronous enough for tests. */
const syncRunner: SimRunner = {
  run: async (s) => simulate(s),
  capture: async (s) => capture(s),
};

async function ready(scenario: Scenario = DEFAULT_SCENARIO) {
  const store = createAppStore(syncRunner, scenario);
  store.getState().loadScenario(scenario, 'test');
  await settle(store);
  return store;
}

async function settle(store: ReturnType<typeof createAppStore>): Promise<void> {
  for (let i = 0; i < 50 && store.getState().runStatus !== 'ready'; i++) await new Promise((r) => setTimeout(r, 5));
  expect(store.getState().runStatus).toBe('ready');
}

describe('store: playback', () => {
  it('loads with the cursor before the first event and the whole run computed', async () => {
    const store = await ready();
    const s = store.getState();
    expect(s.cursorSeq).toBe(-1);
    expect(s.cursorMs).toBe(0);
    expect(s.trace.at(-1)!.kind).toBe('run.end');
    expect(s.ndjson.split('\n').length).toBe(s.trace.length + 1);
  });

  it('steps forward and back one event at a time', async () => {
    const store = await ready();
    const s = store.getState;
    expect(s().logFilter.notableOnly).toBe(true); // the log opens on the story
    s().setLogFilter({ notableOnly: false });
    s().stepForward();
    expect(s().cursorSeq).toBe(0);
    s().stepForward(); s().stepForward();
    expect(s().cursorSeq).toBe(2);
    expect(s().cursorMs).toBe(s().trace[2]!.tMs);
    s().stepBack();
    expect(s().cursorSeq).toBe(1);
  });

  it('stepping follows the log filter (MQTT packets only)', async () => {
    const store = await ready();
    const s = store.getState;
    s().setLogFilter({ notableOnly: false, hiddenLayers: ['segment', 'timer', 'tcp', 'client', 'broker', 'fault', 'other'] });
    s().stepForward();
    expect(s().trace[s().cursorSeq]!.kind).toBe('mqtt.send');
  });

  it('jumps between notable events', async () => {
    const store = await ready();
    const s = store.getState;
    s().nextNotable();
    // The notable event is selected; the cursor shows it with its effects applied: the last
    // event of the same engine event (sim/world effectsEnd), here the client's keep-alive timer.
    const connected = s().selectedSeq!;
    expect(s().trace[connected]!.kind).toBe('client.connected');
    expect(s().cursorSeq).toBe(effectsEnd(s().stepEnds, connected));
    expect(s().cursorSeq).toBeGreaterThan(connected);
    expect(s().trace[s().cursorSeq]!.tMs).toBe(s().trace[connected]!.tMs);
    // Jumps start from the selected event, not from the cursor past it: forward and back
    // again lands on the same event (not on the one the cursor passed).
    s().nextNotable();
    expect(s().selectedSeq).toBeGreaterThan(connected);
    s().prevNotable();
    expect(s().selectedSeq).toBe(connected);
    s().seek(59_000);
    s().prevNotable();
    expect(['will.published', 'conn.closed', 'broker.keepalive-expired', 'session.expired'])
      .toContain(s().trace[s().selectedSeq!]!.kind);
  });

  it('advance moves virtual time only while playing, and stops at a Will breakpoint', async () => {
    const store = await ready();
    const s = store.getState;
    s().advance(1000);
    expect(s().cursorMs).toBe(0);
    s().setBreakpoints(['will.published']);
    s().play();
    for (let i = 0; i < 1000 && s().playing; i++) s().advance(100);
    expect(s().playing).toBe(false);
    expect(s().trace[s().cursorSeq]!.kind).toBe('will.published');
    expect(s().message?.text).toMatch(/Will is published/);
  });

  it('plays to the end and pauses there', async () => {
    const store = await ready();
    const s = store.getState;
    s().setBreakpoints([]);
    s().play();
    s().advance(10 * 60_000);
    expect(s().cursorMs).toBe(DEFAULT_SCENARIO.durationMs);
    expect(s().playing).toBe(false);
  });
});

describe('store: faults and scenarios', () => {
  it('injectFault appends an action at floor(cursorMs), keeps the past and the cursor', async () => {
    const store = await ready();
    const s = store.getState;
    s().seek(12_345.6);
    const before = s().trace.filter((e) => e.tMs <= 12_345);
    s().injectFault({ do: 'crash', node: 'dashboard' });
    await settle(store);
    expect(s().scenario.actions!.at(-1)).toEqual({ atMs: 12_345, do: 'crash', node: 'dashboard' });
    expect(s().cursorMs).toBe(12_345.6);
    expect(s().trace.slice(0, before.length).filter((e) => e.kind !== 'action' || e.tMs < 12_345))
      .toEqual(before.filter((e) => e.kind !== 'action' || e.tMs < 12_345));
    expect(s().trace.some((e) => e.kind === 'action' && (e as { do?: string }).do === 'crash')).toBe(true);
    s().removeAction(s().scenario.actions!.length - 1);
    await settle(store);
    expect(s().scenario.actions).toEqual(DEFAULT_SCENARIO.actions);
  });

  it('export then import gives the same scenario and the same trace', async () => {
    const store = await ready();
    const s = store.getState;
    s().seek(3000);
    s().injectFault({ do: 'cut', link: ['sensor', 'broker'], direction: 'a->b' });
    await settle(store);
    const text = exportScenarioText(s());
    const trace = s().ndjson;
    const other = await ready();
    expect(other.getState().importScenario(text)).toEqual({ ok: true });
    await settle(other);
    expect(other.getState().scenario).toEqual(s().scenario);
    expect(other.getState().ndjson).toBe(trace);
  });

  it('an invalid import lists every problem with its path and leaves the scenario untouched', async () => {
    const store = await ready();
    const s = store.getState;
    const bad = { ...DEFAULT_SCENARIO, durationMs: -1, clients: [{ id: 'x', keepAliveSeconds: 70000 }], bogus: 1 };
    const r = s().importScenario(JSON.stringify(bad));
    expect(r.ok).toBe(false);
    if (r.ok) return;
    const paths = r.problems.map((p) => p.path);
    expect(paths).toContain('durationMs');
    expect(paths).toContain('clients[0].keepAliveSeconds');
    expect(paths.some((p) => p.includes('bogus'))).toBe(true);
    expect(s().scenario).toEqual(DEFAULT_SCENARIO);
    expect(s().message!.tone).toBe('error');
    expect(s().message!.problems!.length).toBe(r.problems.length);
    expect(s().importScenario('{ not json').ok).toBe(false);
    expect(s().scenario).toEqual(DEFAULT_SCENARIO);
  });

  it('editClient validates as you type: invalid edits stay a draft with paths, valid ones re-run', async () => {
    const store = await ready();
    const s = store.getState;
    s().editClient(0, { keepAliveSeconds: 'ten' as unknown as number });
    expect(s().draftProblems.map((p) => p.path)).toEqual(['clients[0].keepAliveSeconds']);
    expect(s().scenario.clients[0]!.keepAliveSeconds).toBe(10);
    s().editClient(0, { keepAliveSeconds: 4 });
    expect(s().draft).toBeNull();
    expect(s().scenario.clients[0]!.keepAliveSeconds).toBe(4);
    await settle(store);
    const expired = s().trace.find((e) => e.kind === 'broker.keepalive-expired')!;
    // Keep-alive 4 s: the broker gives up 6 s (1.5 × 4) after the last packet [MQTT-3.1.2-24].
    expect(expired.tMs - (expired as { lastRecvMs: number }).lastRecvMs).toBe(6000);
  });

  it('a link latency typed with a fraction of a millisecond is written as latencyUs, a whole one as latencyMs, never both', async () => {
    const store = await ready();
    const s = store.getState;
    const client = s().scenario.clients[0]!.id;
    const link = () => s().scenario.links!.find((l) => l.between.includes(client))!;
    s().editLink(client, inMsOrUs('latency', 2.5));
    expect(s().draft).toBeNull();
    expect(link().latencyUs).toBe(2500);
    expect('latencyMs' in link()).toBe(false);
    s().editLink(client, inMsOrUs('latency', 7));
    expect(link().latencyMs).toBe(7);
    expect('latencyUs' in link()).toBe(false);
    await settle(store);
    expect(s().resolved!.links.find((l) => l.between.includes(client))!.latencyMs).toBe(7);
  });

  it('importShareLink loads a valid link and refuses a malformed one with a message', async () => {
    const store = await ready();
    const s = store.getState;
    const other = { ...DEFAULT_SCENARIO, name: 'Shared one', seed: 99 };
    expect(s().importShareLink(encodeSharePayload(JSON.stringify(other)))).toEqual({ ok: true });
    expect(s().scenario.name).toBe('Shared one');
    expect(s().importShareLink('!!!').ok).toBe(false);
    expect(s().message!.text).toMatch(/Share link refused/);
    expect(s().scenario.name).toBe('Shared one');
  });

  it('only the scenario is exported', () => {
    const exported = Object.entries(PERSISTENCE).filter(([, v]) => v.export).map(([k]) => k);
    expect(exported).toEqual(['scenario']);
  });
});
