/**
 * An undo journal: every change the reducer makes to the world goes through it, so the world
 * can move back as cheaply as forward. Moving the cursor by k events costs the changes those
 * k events made, whatever the size of the world (no snapshots of every node).
 *
 * Arrays in the world are never mutated in place: a change replaces the array (set()).
 */
/** What the journal changes: a Map, or a table with the same methods (world/flights.ts). */
export interface Store<K, V> {
  has(key: K): boolean;
  get(key: K): V | undefined;
  set(key: K, value: V): unknown;
  delete(key: K): boolean;
}

type Entry =
  | { t: 0; owner: string; obj: Record<string, unknown>; key: string; old: unknown }
  | { t: 1; owner: string; map: Store<unknown, unknown>; key: unknown; had: boolean; old: unknown };

export class Journal {
  private entries: Entry[] = [];
  /**
   * `touched` is called with the node id an entry belongs to (the world keeps a dirty set for
   * views). `record` false: a forward-only reader (history.ts, the invariant checker) that
   * never moves back; changes are made with no undo entry and nothing is reported.
   */
  constructor(private readonly touched: (owner: string) => void, private readonly record = true) {}

  get length(): number { return this.entries.length; }

  /** Whether changes can be undone (false: a forward-only reader; nothing keeps old values). */
  get recording(): boolean { return this.record; }

  set<T extends object, K extends keyof T & string>(owner: string, obj: T, key: K, value: T[K]): void {
    const o = obj as unknown as Record<string, unknown>;
    if (o[key] === value) return;
    if (!this.record) { o[key] = value; return; }
    this.entries.push({ t: 0, owner, obj: o, key, old: o[key] });
    o[key] = value;
    this.touched(owner);
  }

  mapSet<K, V>(owner: string, map: Store<K, V>, key: K, value: V): void {
    if (!this.record) { map.set(key, value); return; }
    const had = map.has(key);
    this.entries.push({ t: 1, owner, map: map as Store<unknown, unknown>, key, had, old: map.get(key) });
    map.set(key, value);
    this.touched(owner);
  }

  mapDelete<K, V>(owner: string, map: Store<K, V>, key: K): void {
    if (!this.record) { map.delete(key); return; }
    if (!map.has(key)) return;
    this.entries.push({ t: 1, owner, map: map as Store<unknown, unknown>, key, had: true, old: map.get(key) });
    map.delete(key);
    this.touched(owner);
  }

  /** Drop the undo entries (a forward-only reader, such as history.ts, keeps none). */
  forget(): void { this.entries.length = 0; }

  /** Undo entries until `length` remain. */
  rewind(length: number): void {
    const es = this.entries;
    while (es.length > length) {
      const e = es.pop()!;
      if (e.t === 0) e.obj[e.key] = e.old;
      else if (e.had) e.map.set(e.key, e.old);
      else e.map.delete(e.key);
      this.touched(e.owner);
    }
  }
}
