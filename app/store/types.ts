/**
 * The app's single store: three slices with different lifetimes (app/README.md).
 * - scenario: the document. Exported (file, share link); every fault the user injects is
 *   an action in it, so export + import reproduces exactly what the user saw.
 * - run: derived from the scenario by the simulator (trace, cursor, playback). Never exported.
 * - view: selection, filters, breakpoints, messages. Session only.
 */
import type {
  Action, ClientSpec, LinkSpec, BrokerSpec, Problem, ResolvedScenario, RunSummary, Scenario,
  TraceEvent,
} from '../../sim/index.ts';
import type { ExpectationOutcome } from '../worker/protocol.ts';
import type { CaptureOutcome } from '../worker/runner.ts';
import type { LogFilter } from '../model/filter.ts';
import type { CursorWorld } from '../model/worldView.ts';
import type { RunDerived } from '../view-model/derive.ts';
import type { WorkingCopy } from './workingCopy.ts';
import type { FleetData } from '../fleet/fleetData.ts';

export interface GalleryEntry { file: string; name: string; description: string }

/** A fault as the UI offers it: an action without its time (the cursor gives it). */
export type FaultAction = Action extends infer A ? A extends Action ? Omit<A, 'atMs'> : never : never;

export type ImportResult = { ok: true } | { ok: false; problems: Problem[]; message: string };

export interface ScenarioSlice {
  scenario: Scenario;
  /** Where the scenario came from ("scenarios/x.json", "imported file", "share link"). */
  scenarioSource: string;
  /** An edited scenario that does not validate yet (null: the edits are all applied). */
  draft: Scenario | null;
  draftProblems: Problem[];
  gallery: GalleryEntry[];
  /** The scenario on screen has been edited since it was loaded (kept in localStorage). */
  edited: boolean;
  /** Edits another scenario replaced, kept in localStorage and offered back (their name). */
  setAside: { name: string } | null;

  loadScenario(scenario: Scenario, source: string): void;
  importScenario(text: string, source?: string): ImportResult;
  importShareLink(payload: string): ImportResult;
  /** A file (or its text): read and parsed in the worker when large, refused when too large to show. */
  importFile(file: Blob | string, source: string): Promise<ImportResult>;
  setGallery(entries: GalleryEntry[]): void;
  editSettings(patch: Partial<Pick<Scenario, 'name' | 'description' | 'seed' | 'durationMs'>>): void;
  editBroker(patch: Partial<BrokerSpec>): void;
  editClient(index: number, patch: Partial<ClientSpec>): void;
  addClient(): void;
  removeClient(index: number): void;
  editLink(clientId: string, patch: Partial<LinkSpec>): void;
  /** Any other edit of the document (timed actions, subscriptions, publishing, expectations),
   * validated like every edit: applied when valid, kept as a draft with its problems otherwise. */
  editScenario(edit: (draft: Scenario) => void): void;
  injectFault(fault: FaultAction): void;
  removeAction(index: number): void;
  discardDraft(): void;
  /** The scenario on screen, its draft and source, as kept in storage. */
  workingCopy(): WorkingCopy;
  /** Puts a kept working copy on screen (edited), optionally with a notice. */
  restoreCopy(copy: WorkingCopy, notice?: string): void;
  /** Brings back the edits set aside (swapping with the edits on screen, if any). */
  restoreSetAside(): void;
  discardSetAside(): void;
}

export type RunStatus = 'idle' | 'running' | 'ready' | 'error';

export interface RunSlice {
  runStatus: RunStatus;
  runMessage: string | null;
  trace: TraceEvent[];
  ndjson: string;
  summary: RunSummary | null;
  expectations: ExpectationOutcome[];
  resolved: ResolvedScenario | null;
  /** The last trace event of each engine event (sim/world effectsEnd); null from bare runners. */
  stepEnds: Int32Array | null;
  /** What the views draw from this run (layout, fault bands, segments in flight, log offsets), built once with it. */
  derived: RunDerived | null;
  /** The world at any cursor of this run (sim/world), made when the run installs. */
  cursorWorld: CursorWorld | null;
  /** The Fleet view's aggregates (app/fleet), for scenarios of 50 clients or more. */
  fleet: FleetData | null;
  durationMs: number;
  /** Virtual time of the cursor (ms). */
  cursorMs: number;
  /** Index of the current event (-1 before the first). */
  cursorSeq: number;
  playing: boolean;
  /** Virtual ms per wall ms. */
  speed: number;
  runTimeMs: number;

  rerun(): Promise<void>;
  play(): void;
  pause(): void;
  togglePlay(): void;
  stepForward(): void;
  stepBack(): void;
  seek(tMs: number): void;
  seekToEvent(seq: number): void;
  nextNotable(): void;
  prevNotable(): void;
  /** The playback loop's only entry: move the cursor by this much virtual time. */
  advance(virtualMs: number): void;
  setSpeed(speed: number): void;
  /** The run's packets as pcapng (computed on demand in the worker). */
  captureBytes(): Promise<CaptureOutcome>;
  /** Stops the run computing in the worker (a long fleet run); the run ends cancelled. */
  cancelRun(): void;
}

export interface Message { tone: 'info' | 'error'; text: string; problems?: Problem[]; link?: string }

export interface ViewSlice {
  selectedNode: string | null;
  /** [a, b] of the selected link. */
  selectedLink: [string, string] | null;
  selectedSeq: number | null;
  logFilter: LogFilter;
  breakpoints: string[];
  message: Message | null;
  scenarioPanelOpen: boolean;

  selectNode(id: string | null): void;
  selectLink(link: [string, string] | null): void;
  selectEvent(seq: number | null): void;
  setLogFilter(patch: Partial<LogFilter>): void;
  setBreakpoints(kinds: string[]): void;
  showMessage(message: Message | null): void;
  setScenarioPanelOpen(open: boolean): void;
}

export type AppState = ScenarioSlice & RunSlice & ViewSlice;
