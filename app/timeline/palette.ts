/**
 * Colours of the sequence diagram: the Okabe–Ito palette, which stays distinguishable with
 * the common colour-vision deficiencies. Meaning never rests on colour alone: arrows differ
 * in width and dash, losses are crosses, half-open is hatched, markers carry glyphs.
 */
import type { MarkerTone } from '../view-model/layoutTypes.ts';

export const COLORS = {
  mqtt: '#0072B2',        // blue: MQTT packets
  control: '#8c8c8c',     // grey: TCP-only segments
  drop: '#D55E00',        // vermillion: the cross where a segment died
  open: '#009E73',        // bluish green: "this end believes the connection is open"
  halfOpen: '#E69F00',    // orange: hatched where one end has closed and the other has not
  fault: '#9a9a9a',
  cursor: '#1a1a1a',
  lifeline: '#7a7a7a',
  text: '#222',
  muted: '#666',
} as const;

/** Timer ribbons: the lane node's own timers, the peer's (broker's) timers, TCP's timers. */
export const RIBBON_COLORS = {
  self: { fill: '#cde6f7', stroke: '#3a8fc8' },
  peer: { fill: '#f4d5e6', stroke: '#b5639a' },
  tcp: { fill: '#e6e6e6', stroke: '#8c8c8c' },
} as const;

export const MARKER_COLORS: Record<MarkerTone, { fill: string; text: string }> = {
  ok: { fill: '#009E73', text: '#fff' },
  alert: { fill: '#D55E00', text: '#fff' },
  will: { fill: '#E69F00', text: '#1a1a1a' },
  takeover: { fill: '#CC79A7', text: '#1a1a1a' },
  fault: { fill: '#444', text: '#F0E442' },
  muted: { fill: '#bbb', text: '#1a1a1a' },
};
