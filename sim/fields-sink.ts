/**
 * The engine's light sink (`onFields`: the emit site's own field object, its seq and the time;
 * no trace event object) shared by the run's two light readers: the caller's `onFields`
 * (RunOptions: the CLI writes NDJSON lines and picks its `expect` events from it) and the
 * invariant checker. Each gets only what it asked for: the caller its `kinds` (all when it
 * named none), the checker CHECKER_READS' kinds and timers. The engine builds the union; an
 * event neither reads only takes its seq.
 */
import type { TraceFields, TraceSink } from './engine/types.ts';
import type { Kind, TimerName } from './trace/types.ts';
import { TIMER_NAMES, TRACE_SCHEMA } from './trace/schema.ts';

type OnFields = (fields: TraceFields, seq: number, nowUs: number) => void;

export interface FieldsReader {
  onFields: OnFields;
  /** The kinds it reads; undefined: all. */
  kinds?: readonly Kind[] | undefined;
  /** Of the timer.* events, those of these timers; undefined: all. */
  timers?: readonly TimerName[] | undefined;
  /** false: it never reads seg.send `packets`; undefined: it does (when it reads seg.send). */
  packets?: boolean | undefined;
  /** Of mqtt.send / mqtt.recv, those of these nodes; undefined: every node's. */
  mqttNodes?: readonly string[] | undefined;
  /** Every event of these nodes and of no node, whatever `kinds` and `timers` say (TraceSink.focusNodes). */
  focusNodes?: readonly string[] | undefined;
}

const TIMER_KINDS: readonly Kind[] = ['timer.set', 'timer.clear', 'timer.fire'];

/** The engine sink for one or two readers (null when there is none). */
export function fieldsSink(user: FieldsReader | null, checker: FieldsReader | null): TraceSink | null {
  if (user === null) return checker === null ? null : { onFields: checker.onFields, ...narrowing(checker) };
  if (checker === null) return { onFields: user.onFields, ...narrowing(user) };
  const userKinds = lookup(user.kinds ?? Object.keys(TRACE_SCHEMA) as Kind[]);
  const checkerKinds = lookup(checker.kinds ?? Object.keys(TRACE_SCHEMA) as Kind[]);
  const userTimers = lookup(user.timers ?? TIMER_NAMES);
  const checkerTimers = lookup(checker.timers ?? TIMER_NAMES);
  const u = user.onFields;
  const c = checker.onFields;
  const timerKind = lookup(TIMER_KINDS);
  // The caller's focus: every event of these nodes is its too (only the checker narrows them).
  const focus = user.focusNodes !== undefined && user.focusNodes.length > 0 ? new Set(user.focusNodes) : null;
  // One lookup per event: which readers take its kind (1: the caller, 2: the checker, 4: a timer event).
  const route = Object.create(null) as Record<string, number>;
  for (const k of Object.keys(TRACE_SCHEMA)) {
    route[k] = (userKinds[k] === true ? 1 : 0) | (checkerKinds[k] === true ? 2 : 0) | (timerKind[k] === true ? 4 : 0);
  }
  const onFields: OnFields = (fields, seq, nowUs) => {
    const r = route[fields.kind]!;
    if ((r & 4) !== 0) {
      // A timer.set that `replaces` another timer concerns both.
      const { timer, replaces } = fields as { timer: string; replaces?: string };
      const t = replaces ?? timer;
      if (((r & 1) !== 0 && (userTimers[timer] === true || userTimers[t] === true)) || (focus !== null && focus.has((fields as { node: string }).node))) u(fields, seq, nowUs);
      if ((r & 2) !== 0 && (checkerTimers[timer] === true || checkerTimers[t] === true)) c(fields, seq, nowUs);
      return;
    }
    if ((r & 1) !== 0 || (focus !== null && focused(focus, fields))) u(fields, seq, nowUs);
    if ((r & 2) !== 0) c(fields, seq, nowUs);
  };
  const kinds = [...new Set([...(user.kinds ?? Object.keys(TRACE_SCHEMA) as Kind[]), ...(checker.kinds ?? Object.keys(TRACE_SCHEMA) as Kind[])])];
  const reads = (r: FieldsReader): boolean => (r.kinds ?? TIMER_KINDS).some((k) => TIMER_KINDS.includes(k));
  const timers = [...new Set([...(reads(user) ? user.timers ?? TIMER_NAMES : []), ...(reads(checker) ? checker.timers ?? TIMER_NAMES : [])])];
  // `packets` are kept when a reader of seg.send reads them.
  const packets = ((userKinds['seg.send'] === true || focus !== null) && user.packets !== false) || (checkerKinds['seg.send'] === true && checker.packets !== false);
  // MQTT packet events of every node when the caller reads them (the checker ignores the rest).
  const userMqtt = userKinds['mqtt.send'] === true || userKinds['mqtt.recv'] === true;
  const mqttNodes = userMqtt ? undefined : checker.mqttNodes;
  return {
    onFields, kinds, timers, segmentPackets: packets, ...(mqttNodes !== undefined ? { mqttNodes } : {}),
    ...(focus !== null ? { focusNodes: [...focus] } : {}),
  };
}

function narrowing(r: FieldsReader): Pick<TraceSink, 'kinds' | 'timers' | 'segmentPackets' | 'mqttNodes'> {
  return {
    ...(r.kinds !== undefined ? { kinds: r.kinds } : {}), ...(r.timers !== undefined ? { timers: r.timers } : {}),
    ...(r.packets === false ? { segmentPackets: false } : {}), ...(r.mqttNodes !== undefined ? { mqttNodes: r.mqttNodes } : {}),
    ...(r.focusNodes !== undefined && r.focusNodes.length > 0 ? { focusNodes: r.focusNodes } : {}),
  };
}

/** An event of a focus node, or of no node (an action on a link, run.end): the focus reader's. */
function focused(focus: ReadonlySet<string>, fields: TraceFields): boolean {
  const node = (fields as { node?: string }).node;
  return node === undefined || focus.has(node);
}

function lookup(names: readonly string[]): Record<string, boolean> {
  const o = Object.create(null) as Record<string, boolean>;
  for (const n of names) o[n] = true;
  return o;
}
