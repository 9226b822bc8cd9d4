/** Layout only: control bar, scenario strip, and the four landmark regions. */
import type { JSX } from 'react';
import { ControlBar } from './controls/ControlBar.tsx';
import { useKeyboardShortcuts } from './controls/useKeyboardShortcuts.ts';
import { usePlaybackLoop } from './playback/usePlaybackLoop.ts';
import { TimelineSlot } from './TimelineSlot.tsx';
import { TopologyView } from './topology/TopologyView.tsx';
import { EventLog } from './log/EventLog.tsx';
import { Inspector } from './inspector/Inspector.tsx';
import { ScenarioBar } from './scenarios/ScenarioBar.tsx';
import { ScenarioPanel } from './scenarios/ScenarioPanel.tsx';
import { MessageBar, SetAsideBar } from './MessageBar.tsx';
import { useApp } from './store/store.ts';
import { FirstHint } from './FirstHint.tsx';
import { LessonPanel, LessonsEntry } from './lessons/LessonPanel.tsx';
import { FleetRegion } from './fleet/FleetRegion.tsx';
import { RunProgress } from './fleet/RunProgress.tsx';
import './fleet/fleet.css';

export function App(): JSX.Element {
  usePlaybackLoop();
  useKeyboardShortcuts();
  // While a re-run computes, what shows is the previous run's: say so, and dim it.
  const stale = useApp((s) => s.runStatus === 'running' && s.trace.length > 0);
  const panel = useApp((s) => s.scenarioPanelOpen);
  const fleet = useApp((s) => s.fleet !== null);
  return (
    <div className="app">
      <header>
        <ControlBar />
        <ScenarioBar />
        <LessonsEntry />
        <div className="message-stack"><SetAsideBar /><MessageBar /><RunProgress /></div>
      </header>
      <main className={`regions${stale ? ' stale' : ''}${panel ? ' with-panel' : ''}${fleet ? ' with-fleet' : ''}`} aria-busy={stale}>
        <FleetRegion />
        <section aria-label="Timeline" className="region timeline"><h2>Timeline</h2><FirstHint /><TimelineSlot /></section>
        <section aria-label="Topology" className="region topology-region"><h2>Topology</h2><TopologyView /></section>
        <section aria-label="Event log" className="region log"><h2>Event log</h2><EventLog /></section>
        <section aria-label="Inspector" className="region inspector-region"><h2>Inspector</h2><Inspector /></section>
        <ScenarioPanel />
      </main>
      <LessonPanel />
    </div>
  );
}
