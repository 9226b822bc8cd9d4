// @vitest-environment happy-dom
import { describe, it, expect, afterEach } from 'vitest';
import { act } from 'react';
import { createRoot, type Root } from 'react-dom/client';
import { StoryDemo } from './demo/StoryDemo.tsx';
import { buildStoryTrace } from './storyTrace.ts';
import { buildSequenceLayout } from '../../../app/view-model/sequenceLayout.ts';
import { buildBigTrace } from './bigTrace.ts';
import { STORY_DURATION_MS, STORY_NODES } from './storyTrace.ts';
import { GEOMETRY, laneBoxes } from '../../../app/timeline/laneGeometry.ts';
import type { TraceEvent } from '../../../sim/index.ts';

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

/** Pixel position (in the diagram's stack) of time tMs on lane `lane`'s lifeline, at Fit zoom. */
function pointOf(trace: TraceEvent[], nodes: string[], durationMs: number) {
  const layout = buildSequenceLayout(trace, nodes, durationMs);
  const { boxes } = laneBoxes(layout.lanes, true);
  const x = (t: number): number => GEOMETRY.gutterW + (t / layout.endMs) * (1250 - GEOMETRY.gutterW);
  return { layout, boxes, x };
}

function mouse(el: Element, type: string, clientX: number, clientY: number): void {
  act(() => { el.dispatchEvent(new MouseEvent(type, { clientX, clientY, bubbles: true })); });
}

describe('SequenceDiagram with the story fixture (happy-dom)', () => {
  it('renders lanes, rows, markers and the controls without errors', () => {
    const el = render(<StoryDemo initialCursorMs={120_000} />);
    const names = [...el.querySelectorAll('.tl-lane-name')].map((t) => t.textContent);
    expect(names).toEqual(['broker', 'sensor', 'meter']);
    const rowLabels = [...el.querySelectorAll('.tl-row-label')].map((t) => t.textContent);
    expect(rowLabels).toContain("sensor's view");
    expect(rowLabels).toContain("broker's view");
    expect(rowLabels).toContain("broker's timers");
    const markers = [...el.querySelectorAll('[role=button].tl-marker')].map((m) => m.getAttribute('aria-label'));
    expect(markers.some((m) => m?.startsWith('takeover of sensor-1'))).toBe(true);
    expect(markers.filter((m) => m?.startsWith('Will published'))).toHaveLength(2);
    expect(markers.some((m) => m?.startsWith('keep-alive expired'))).toBe(true);
    for (const name of ['Zoom in', 'Zoom out', 'Fit']) expect(button(el, name)).toBeTruthy();
    expect(el.querySelector('.tl-legend')?.textContent).toContain('half-open');
  });

  it('shows a tooltip for the arrow or bar under the pointer', () => {
    const trace = buildStoryTrace();
    const { layout, boxes, x } = pointOf(trace, STORY_NODES, STORY_DURATION_MS);
    const el = render(<StoryDemo trace={trace} initialCursorMs={120_000} />);
    const stack = el.querySelector('.tl-stack')!;
    const lost = layout.arrows.find((a) => a.label === 'PINGRESP' && a.dropReason === 'loss')!;
    const y = boxes[0]!.lineY + 0.2 * (boxes[1]!.lineY - boxes[0]!.lineY);
    mouse(stack, 'mousemove', x(lost.sendMs), y);
    const tip = el.querySelector('.tl-hover title')?.textContent ?? '';
    expect(tip).toMatch(/^PINGRESP: broker → sensor \(sensor\/1\)/);
    expect(tip).toContain('lost on the link (random loss) at 40.050 s');
    const h = layout.halfOpen.find((x) => x.conn === 'sensor/1')!;
    mouse(stack, 'mousemove', x((h.fromMs + h.toMs) / 2), boxes[1]!.rowY[h.closedRow]! + 4);
    expect(el.querySelector('.tl-hover-box title')?.textContent).toMatch(
      /^Half-open sensor\/1: sensor has closed it, broker still believes it is open/);
    act(() => { stack.dispatchEvent(new MouseEvent('mouseout', { bubbles: true, relatedTarget: null })); });
    expect(el.querySelector('.tl-hover, .tl-hover-box')).toBeNull();
  });

  it('selects the event of a clicked marker or arrow, and seeks on empty space', () => {
    const trace = buildStoryTrace();
    const { boxes, x } = pointOf(trace, STORY_NODES, STORY_DURATION_MS);
    const picked: number[] = [];
    const el = render(<StoryDemo trace={trace} initialCursorMs={11_035} onSelect={(s) => picked.push(s)} />);
    const takeover = [...el.querySelectorAll('.tl-marker')]
      .find((m) => m.getAttribute('aria-label')?.startsWith('takeover'))!;
    act(() => { takeover.dispatchEvent(new MouseEvent('click', { bubbles: true })); });
    expect(picked.map((s) => trace[s]!.kind)).toEqual(['broker.takeover']);
    expect(el.querySelectorAll('.tl-selected-ring')).toHaveLength(1);
    // The demo moved the cursor to the takeover; put it back at 11.035 s with a click on the
    // axis, then zoom in around it (the cursor anchors the zoom): the meter's PINGREQ of
    // 11.03 s is then ~100 px from its neighbours, and a click on its middle selects it.
    const axis = el.querySelector('.tl-axis')!;
    act(() => { axis.dispatchEvent(new MouseEvent('click', { clientX: x(11_035), bubbles: true })); });
    for (let i = 0; i < 10; i++) act(() => button(el, 'Zoom in').click());
    const stack = el.querySelector('.tl-stack')!;
    mouse(stack, 'click', x(11_035), (boxes[0]!.lineY + boxes[2]!.lineY) / 2);
    expect(trace[picked[1]!]!).toMatchObject({ kind: 'mqtt.send', packet: 'PINGREQ', node: 'meter', tMs: 11_030 });
    expect(el.querySelectorAll('.tl-selected')).toHaveLength(1); // the arrow is highlighted
    // A marker is reachable and activated from the keyboard.
    act(() => button(el, 'Fit').click());
    const will = [...el.querySelectorAll('.tl-marker')].find((m) => m.getAttribute('aria-label')?.startsWith('Will'))!;
    expect(will.getAttribute('tabindex')).toBe('0');
    act(() => { will.dispatchEvent(new KeyboardEvent('keydown', { key: 'Enter', bubbles: true })); });
    expect(trace[picked[2]!]!.kind).toBe('will.published');
    // Empty space (no arrow near 5 s on the broker's lifeline) moves the cursor there.
    mouse(stack, 'click', x(5000), boxes[0]!.lineY);
    expect(picked).toHaveLength(3);
    expect(Number(el.querySelector('.tl-cursor')!.getAttribute('x1'))).toBeCloseTo(x(5000), 0);
  });

  it('zooms with the buttons, culls markers to the window, and fits back', () => {
    const el = render(<StoryDemo initialCursorMs={40_050} />);
    const range = (): string => el.querySelector('.tl-range')!.textContent ?? '';
    const markers = (): number => el.querySelectorAll('.tl-marker').length;
    expect(range()).toBe('showing 0.000 s – 120.000 s');
    const all = markers();
    for (let i = 0; i < 4; i++) act(() => button(el, 'Zoom in').click());
    expect(range()).not.toBe('showing 0.000 s – 120.000 s');
    expect(markers()).toBeLessThan(all);
    act(() => button(el, 'Fit').click());
    expect(range()).toBe('showing 0.000 s – 120.000 s');
    expect(markers()).toBe(all);
  });

  it('lays out and renders a 10,000-event trace quickly', () => {
    const { trace, nodes, durationMs } = buildBigTrace(4, 20);
    expect(trace.length).toBeGreaterThanOrEqual(10_000);
    const t0 = performance.now();
    const layout = buildSequenceLayout(trace, nodes, durationMs);
    expect(performance.now() - t0).toBeLessThan(1500);
    expect(layout.arrows.length).toBe(trace.filter((e) => e.kind === 'seg.send').length);
    const el = render(<StoryDemo trace={trace} nodes={nodes} durationMs={durationMs} initialCursorMs={0} />);
    expect([...el.querySelectorAll('.tl-lane-name')].map((n) => n.textContent)).toEqual(nodes);
    for (let i = 0; i < 8; i++) act(() => button(el, 'Zoom in').click());
    expect(range(el)).toMatch(/^showing 0\.000 s – 4\.6\d\d s$/);
  });
});

function range(el: HTMLElement): string {
  return el.querySelector('.tl-range')!.textContent ?? '';
}
