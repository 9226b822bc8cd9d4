/**
 * What an action's `direction` means on its `link` (CONTRACT.md section 2): "a->b" runs from
 * the first name of the pair to the second, "b->a" back, "both" (or none) is both ways. The
 * one reading of it: the world reducer (which link half is cut) and the app's words for an
 * action (app/model/describe.ts) both call this.
 */
import type { Direction } from './types.ts';

/** The one way an action acts on (`from` → `to`), or null when it acts both ways. */
export function linkDirection(
  link: readonly [string, string], direction: Direction | undefined,
): { from: string; to: string } | null {
  if (direction === 'a->b') return { from: link[0], to: link[1] };
  if (direction === 'b->a') return { from: link[1], to: link[0] };
  return null;
}
