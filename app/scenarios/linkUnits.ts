import type { LinkSpec } from '../../sim/index.ts';

/**
 * A link time typed in milliseconds: whole milliseconds go to `latencyMs`/`jitterMs`, a
 * fraction (down to a microsecond) to `latencyUs`/`jitterUs`, the file's two spellings (never
 * both: the validator refuses that). Anything else is passed on for the validator to name.
 */
export function inMsOrUs(key: 'latency' | 'jitter', v: number | undefined): Partial<LinkSpec> {
  const ms = `${key}Ms` as const, us = `${key}Us` as const;
  if (typeof v === 'number' && Number.isFinite(v) && !Number.isInteger(v)) return { [ms]: undefined, [us]: Math.round(v * 1000) };
  return { [ms]: v, [us]: undefined };
}
