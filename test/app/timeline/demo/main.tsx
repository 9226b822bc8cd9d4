import { createRoot } from 'react-dom/client';
import { StoryDemo } from './StoryDemo.tsx';
import { buildStoryTrace } from '../storyTrace.ts';
import { buildBigTrace } from '../bigTrace.ts';
import type { TraceEvent } from '../../../../sim/index.ts';

// ?trace=URL loads an NDJSON trace (e.g. from `halfopen run --trace`), &nodes=a,b,c sets lanes.
async function start(): Promise<void> {
  const params = new URLSearchParams(location.search);
  let trace: TraceEvent[] = buildStoryTrace();
  const url = params.get('trace');
  if (url) {
    const text = await (await fetch(url)).text();
    trace = text.split('\n').filter((l) => l.trim()).map((l) => JSON.parse(l) as TraceEvent);
  }
  let nodes = params.get('nodes')?.split(',');
  let duration = Number(params.get('duration') ?? '') || undefined;
  if (params.has('big')) {
    const big = buildBigTrace(4, Number(params.get('big')) || 20);
    ({ trace } = big);
    nodes = big.nodes;
    duration = big.durationMs;
  }
  (window as unknown as { traceLength: number }).traceLength = trace.length;
  const cursor = Number(params.get('cursor') ?? '');
  createRoot(document.getElementById('root') as HTMLElement).render(
    <StoryDemo trace={trace} {...(nodes ? { nodes } : {})} {...(duration ? { durationMs: duration } : {})}
      {...(Number.isFinite(cursor) && params.has('cursor') ? { initialCursorMs: cursor } : {})} />,
  );
}
void start();
