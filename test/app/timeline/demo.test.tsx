// @vitest-environment happy-dom
import { describe, it, expect, afterEach } from 'vitest';
import { act } from 'react';
import { createRoot, type Root } from 'react-dom/client';
import { StoryDemo } from './demo/StoryDemo.tsx';
import { buildStoryTrace } from './storyTrace.ts';
import { buildSequenceLayout } from '../../../app/timeline/sequenceLayout.ts';
import { TraceBuilder } from './traceBuilder.ts';

(globalThis as { IS_REACT_ACT_ENVIRONMENT?: boolean }).IS_REACT_ACT_ENVIRONMENT = true;

let root: Root | null = null;
let host: HTMLElement | null = null;

function render(ui: React.ReactNode): HTMLElement {
  host = document.createElement('div');
  document.body.appendChild(host);
  root = createRoot(host);
  act(() => root!.render(ui));
  return host;
}

function button(el: HTMLElement, name: string): HTMLButtonElement {
  const b = [...el.querySelectorAll('button')].find((x) => x.textContent === name);
  if (!b) throw new Error(`no button ${name}`);
  return b;
}

afterEach(() => {
  act(() => root?.unmount());
  host?.remove();
  root = null;
});

describe('SequenceDiagram with the story fixture (happy-dom)', () => {
  it('renders lanes, rows, markers and packet tooltips without errors', () => {
    const el = render(<StoryDemo initialCursorMs={120_000} />);
    const names = [...el.querySelectorAll('.tl-lane-name')].map((t) => t.textContent);
    expect(names).toEqual(['broker', 'sensor', 'meter']);
    const rowLabels = [...el.querySelectorAll('.tl-row-label')].map((t) => t.textContent);
    expect(rowLabels).toContain("sensor's view");
    expect(rowLabels).toContain("broker's view");
    const markers = [...el.querySelectorAll('[role=button].tl-marker')].map((m) => m.getAttribute('aria-label'));
    expect(markers.some((m) => m?.startsWith('takeover of sensor-1'))).toBe(true);
    expect(markers.filter((m) => m?.startsWith('Will published'))).toHaveLength(2);
    expect(markers.some((m) => m?.startsWith('keep-alive expired'))).toBe(true);
    const titles = [...el.querySelectorAll('.tl-hit title')].map((t) => t.textContent ?? '');
    expect(titles.some((t) => t.startsWith('PINGRESP: broker → sensor (sensor/1)') && t.includes('lost on the link'))).toBe(true);
    expect(el.querySelectorAll('.tl-halfopen')).toHaveLength(2);
    expect(el.querySelectorAll('.tl-fault').length).toBeGreaterThanOrEqual(2);
    for (const name of ['Zoom in', 'Zoom out', 'Fit']) expect(button(el, name)).toBeTruthy();
  });

  it('selects the event of a clicked marker or arrow', () => {
    const trace = buildStoryTrace();
    const picked: number[] = [];
    const el = render(<StoryDemo trace={trace} initialCursorMs={120_000} onSelect={(s) => picked.push(s)} />);
    const takeover = [...el.querySelectorAll('.tl-marker')]
      .find((m) => m.getAttribute('aria-label')?.startsWith('takeover'))!;
    act(() => takeover.dispatchEvent(new MouseEvent('click', { bubbles: true })));
    expect(trace[picked[0]!]!.kind).toBe('broker.takeover');
    const hit = [...el.querySelectorAll('.tl-hit')].find((h) => h.textContent?.startsWith('CONNECT: sensor'))!;
    act(() => hit.dispatchEvent(new MouseEvent('click', { bubbles: true })));
    expect(trace[picked[1]!]!).toMatchObject({ kind: 'mqtt.send', packet: 'CONNECT', node: 'sensor' });
    // The selection is highlighted (a ring on a marker, a thick line on an arrow).
    expect(el.querySelectorAll('.tl-selected')).toHaveLength(1);
    // A marker is reachable and activated from the keyboard.
    const will = [...el.querySelectorAll('.tl-marker')].find((m) => m.getAttribute('aria-label')?.startsWith('Will'))!;
    expect(will.getAttribute('tabindex')).toBe('0');
    act(() => will.dispatchEvent(new KeyboardEvent('keydown', { key: 'Enter', bubbles: true })));
    expect(trace[picked[2]!]!.kind).toBe('will.published');
  });

  it('zooms with the buttons, culls to the window, and fits back', () => {
    const el = render(<StoryDemo initialCursorMs={40_050} />);
    const range = (): string => el.querySelector('.tl-range')!.textContent ?? '';
    const hits = (): number => el.querySelectorAll('.tl-hit').length;
    expect(range()).toBe('showing 0.000 s – 120.000 s');
    const all = hits();
    for (let i = 0; i < 6; i++) act(() => button(el, 'Zoom in').click());
    expect(range()).not.toBe('showing 0.000 s – 120.000 s');
    expect(hits()).toBeLessThan(all);
    act(() => button(el, 'Fit').click());
    expect(range()).toBe('showing 0.000 s – 120.000 s');
    expect(hits()).toBe(all);
  });

  it('draws a 10,000-event trace with culling: zoomed in, only a few arrows are in the DOM', () => {
    const b = new TraceBuilder(10);
    b.handshake(0, 'c1', 'broker', 'c1/1');
    for (let i = 0; b['events'].length < 10_000; i++) {
      b.packet(1000 + i * 500, 'c1', 'broker', 'c1/1', 'PUBLISH', 20, { topic: 't', payload: String(i) });
    }
    const trace = b.build();
    expect(trace.length).toBeGreaterThanOrEqual(10_000);
    const t0 = performance.now();
    const layout = buildSequenceLayout(trace, ['broker', 'c1'], trace.at(-1)!.tMs);
    expect(performance.now() - t0).toBeLessThan(1000);
    expect(layout.arrows.length).toBe(2 * (trace.filter((e) => e.kind === 'mqtt.send').length) + 3);
    const el = render(<StoryDemo trace={trace} nodes={['broker', 'c1']} durationMs={trace.at(-1)!.tMs} initialCursorMs={0} />);
    expect(el.querySelectorAll('.tl-hit')).toHaveLength(0); // too many to hit-test whole: canvas only
    for (let i = 0; i < 8; i++) act(() => button(el, 'Zoom in').click());
    const n = el.querySelectorAll('.tl-hit').length;
    expect(n).toBeGreaterThan(0);
    expect(n).toBeLessThan(100);
  });
});
