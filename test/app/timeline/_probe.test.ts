import { it } from 'vitest';
import { buildStoryTrace, STORY_NODES, STORY_DURATION_MS } from './storyTrace.ts';
import { buildSequenceLayout } from '../../../app/timeline/sequenceLayout.ts';
it('probe', () => {
  const t = buildStoryTrace();
  const l = buildSequenceLayout(t, STORY_NODES, STORY_DURATION_MS);
  console.log(t.length, l.arrows.length);
  console.log(l.lanes.map(x => `${x.name}: ${x.rows.map(r => r.kind + ':' + r.label).join(', ')}`).join('\n'));
  console.log(l.halfOpen);
  console.log(l.bands.map(b => `${b.node} ${b.conn} lane${b.lane} row${b.row} ${b.fromMs}-${b.toMs} ${b.cause}`).join('\n'));
  console.log(l.arrows.filter(a => a.kind === 'mqtt').map(a => `${a.label} ${a.from}->${a.to} ${a.sendMs}-${a.endMs} ${a.outcome}`).join('\n'));
  console.log(l.ribbons.map(r => `${r.node} ${r.timer} lane${r.lane} row${r.row} ${r.setMs}-${r.endMs} ${r.outcome}`).join('\n'));
  console.log(l.markers.map(m => `${m.glyph} ${m.label} lane${m.lane} ${m.tMs}`).join('\n'));
  console.log(l.faults);
});
