/**
 * Which client group each device belongs to. CONTRACT.md §2 (client groups) fixes the names:
 * member n of group `id` with `count` members is `<id>-<n>`, n zero-padded to the width of
 * `count`; a client without `count` is a group of one.
 */
import type { Scenario } from '../scenario/types.ts';

export interface FleetGroup { id: string; count: number; /** A `count` entry (members `<id>-<n>`), not a single client. */ grouped: boolean }

export function fleetGroups(s: Pick<Scenario, 'clients'>): FleetGroup[] {
  return s.clients.map((c) => ({ id: c.id, count: c.count ?? 1, grouped: c.count !== undefined }));
}

/** The ids of a group's members, in order. */
export function memberIds(g: FleetGroup, grouped: boolean): string[] {
  if (!grouped) return [g.id];
  const width = String(g.count).length;
  const out: string[] = [];
  for (let n = 1; n <= g.count; n++) out.push(`${g.id}-${String(n).padStart(width, '0')}`);
  return out;
}

/** device id → index of its group, for the groups of a scenario (a file's `clients`). */
export function groupIndex(s: Pick<Scenario, 'clients'>): Map<string, number> {
  const out = new Map<string, number>();
  s.clients.forEach((c, i) => {
    for (const id of memberIds({ id: c.id, count: c.count ?? 1, grouped: c.count !== undefined }, c.count !== undefined)) out.set(id, i);
  });
  return out;
}
