/**
 * A host's sockets by key (TcpHost.key): a Map, but the first socket of an otherwise empty
 * table is held in a field. A device has one connection at a time, and a reconnect storm opens
 * and closes hundreds of thousands of them; a Map that goes from one entry to none and back
 * reallocates its table (V8 shrinks it on delete), which was the storm's largest source of
 * garbage after the sockets themselves. Iteration keeps insertion order, as a Map's: the field
 * is filled only when the map is empty, so it always holds the oldest entry.
 */
export class ConnTable<V> {
  private key = -1;
  private value: V | undefined = undefined;
  private more: Map<number, V> | null = null;

  get size(): number {
    return (this.value !== undefined ? 1 : 0) + (this.more === null ? 0 : this.more.size);
  }

  get(key: number): V | undefined {
    if (key === this.key) return this.value;
    return this.more === null || this.more.size === 0 ? undefined : this.more.get(key);
  }

  has(key: number): boolean {
    return this.get(key) !== undefined;
  }

  set(key: number, v: V): void {
    if (key === this.key && this.value !== undefined) { this.value = v; return; }
    if (this.value === undefined && (this.more === null || this.more.size === 0)) { this.key = key; this.value = v; return; }
    (this.more ??= new Map()).set(key, v);
  }

  delete(key: number): boolean {
    if (key === this.key && this.value !== undefined) { this.key = -1; this.value = undefined; return true; }
    return this.more !== null && this.more.delete(key);
  }

  clear(): void {
    this.key = -1;
    this.value = undefined;
    this.more?.clear();
  }

  *values(): IterableIterator<V> {
    if (this.value !== undefined) yield this.value;
    if (this.more !== null) yield* this.more.values();
  }
}
