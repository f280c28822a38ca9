/**
 * A list that never holds more than `capacity` items: push evicts the oldest in O(1). The backing array
 * grows with the list up to the cap (small lists stay small), then turns into a ring.
 */
export class BoundedList<T> {
  readonly capacity: number;
  private items: T[] = [];
  /** Index of the oldest item once the backing array is full and wrapping. */
  private head = 0;

  constructor(capacity: number) {
    if (!Number.isSafeInteger(capacity) || capacity < 1) {
      throw new RangeError(`BoundedList capacity must be a positive integer, got ${String(capacity)}`);
    }
    this.capacity = capacity;
  }

  static from<T>(items: Iterable<T>, capacity: number): BoundedList<T> {
    const list = new BoundedList<T>(capacity);
    list.pushMany(items);
    return list;
  }

  get size(): number {
    return this.items.length;
  }

  /** Appends `item`; returns the evicted oldest item, if the list was full. */
  push(item: T): T | undefined {
    if (this.items.length < this.capacity) {
      this.items.push(item);
      return undefined;
    }
    const evicted = this.items[this.head];
    this.items[this.head] = item;
    this.head = this.head + 1 === this.capacity ? 0 : this.head + 1;
    return evicted;
  }

  /** Appends each item in order; returns how many older items were evicted. */
  pushMany(items: Iterable<T>): number {
    let evicted = 0;
    for (const item of items) {
      if (this.items.length === this.capacity) evicted++;
      this.push(item);
    }
    return evicted;
  }

  last(): T | undefined {
    const n = this.items.length;
    if (n === 0) return undefined;
    return this.items[(this.head + n - 1) % n];
  }

  /** The item `k` places before the newest (0 is the newest), without copying the list. */
  fromNewest(k: number): T | undefined {
    const n = this.items.length;
    if (!(k >= 0 && k < n)) return undefined;
    return this.items[(this.head + n - 1 - k) % n];
  }

  /** Oldest first. */
  toArray(): T[] {
    return this.head === 0 ? this.items.slice() : [...this.items.slice(this.head), ...this.items.slice(0, this.head)];
  }

  /** Keeps the newest `n` items; returns how many were dropped. The dropped references are released. */
  trimTo(n: number): number {
    if (!(n < this.items.length)) return 0;
    const keep = Math.max(0, Math.floor(n));
    const dropped = this.items.length - keep;
    this.items = keep === 0 ? [] : this.toArray().slice(-keep);
    this.head = 0;
    return dropped;
  }

  clear(): void {
    this.items = [];
    this.head = 0;
  }
}
