import type { Candle } from '../core/market-types.ts';
import type { OhlcvStore, UpsertOutcome } from './ohlcv-store.ts';

const COLUMNS = 6;
const BYTES_PER_ROW = COLUMNS * Float64Array.BYTES_PER_ELEMENT;

/**
 * A fixed-capacity, timestamp-ordered candle ring. The six columns are Float64Array views over one
 * ArrayBuffer: the data sits outside the V8 heap (so a full gc() does not walk it), costs 48 B per
 * candle plus one small object per ring, and never grows after construction.
 */
export class OhlcvRing implements OhlcvStore {
  readonly capacity: number;
  private readonly ts: Float64Array;
  private readonly open: Float64Array;
  private readonly high: Float64Array;
  private readonly low: Float64Array;
  private readonly close: Float64Array;
  private readonly volume: Float64Array;
  /** Physical slot of the oldest candle. */
  private head = 0;
  private count = 0;

  constructor(capacity: number) {
    if (!Number.isSafeInteger(capacity) || capacity < 1) {
      throw new RangeError(`OhlcvRing capacity must be a positive integer, got ${String(capacity)}`);
    }
    this.capacity = capacity;
    const buffer = new ArrayBuffer(capacity * BYTES_PER_ROW);
    const column = (i: number) => new Float64Array(buffer, i * capacity * Float64Array.BYTES_PER_ELEMENT, capacity);
    this.ts = column(0);
    this.open = column(1);
    this.high = column(2);
    this.low = column(3);
    this.close = column(4);
    this.volume = column(5);
  }

  /** A ring of `capacity` holding `rows` merged in order; older rows than fit are dropped. */
  static from(rows: readonly Candle[], capacity: number): OhlcvRing {
    const ring = new OhlcvRing(capacity);
    ring.appendMany(rows);
    return ring;
  }

  get size(): number {
    return this.count;
  }

  get bytes(): number {
    return this.ts.buffer.byteLength;
  }

  /**
   * Same timestamp as a cached candle: update in place. Newer than the newest: append, evicting the
   * oldest when full. Older: backfill in order, or drop when full and older than everything.
   */
  upsert(candle: Candle): UpsertOutcome {
    const t = candle[0];
    if (!Number.isFinite(t)) return 'dropped';
    const n = this.count;
    if (n > 0) {
      // The live candle is re-sent many times a second: compare with the newest row before anything else.
      const newest = this.slot(n - 1);
      const newestTs = this.ts[newest] ?? NaN;
      if (t === newestTs) {
        this.write(newest, candle);
        return 'updated';
      }
      if (t < newestTs) return this.backfill(candle);
    }
    if (n === this.capacity) {
      this.write(this.head, candle);
      this.head = this.slot(1);
    } else {
      this.write(this.slot(n), candle);
      this.count = n + 1;
    }
    return 'appended';
  }

  appendMany(rows: readonly Candle[]): number {
    let changed = 0;
    for (const row of rows) if (this.upsert(row) !== 'dropped') changed++;
    return changed;
  }

  /** The candle at logical index `i` (0 = oldest); negative counts from the newest, like Array#at. */
  at(i: number): Candle | undefined {
    const index = i < 0 ? this.count + i : i;
    if (!Number.isInteger(index) || index < 0 || index >= this.count) return undefined;
    return this.read(this.slot(index));
  }

  last(): Candle | undefined {
    return this.count === 0 ? undefined : this.read(this.slot(this.count - 1));
  }

  toArray(limit?: number): Candle[] {
    const n = this.count;
    const start = limit === undefined ? 0 : n - Math.min(n, Math.max(0, Math.floor(limit) || 0));
    const out: Candle[] = new Array<Candle>(n - start);
    for (let i = start; i < n; i++) out[i - start] = this.read(this.slot(i));
    return out;
  }

  /** Keeps the newest `n` candles (capacity stays); returns how many were dropped. NaN keeps all. */
  trimTo(n: number): number {
    if (!(n < this.count)) return 0;
    const keep = Math.max(0, Math.floor(n));
    const dropped = this.count - keep;
    this.head = keep === 0 ? 0 : this.slot(dropped);
    this.count = keep;
    return dropped;
  }

  private backfill(candle: Candle): UpsertOutcome {
    const t = candle[0];
    // First logical index whose timestamp is >= t; the caller guarantees t < newest, so it exists.
    let lo = 0;
    let hi = this.count - 1;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if ((this.ts[this.slot(mid)] ?? NaN) < t) lo = mid + 1;
      else hi = mid;
    }
    if (this.ts[this.slot(lo)] === t) {
      this.write(this.slot(lo), candle);
      return 'updated';
    }
    if (this.count === this.capacity) {
      if (lo === 0) return 'dropped';
      this.head = this.slot(1);
      this.count--;
      lo--;
    }
    for (let i = this.count; i > lo; i--) this.move(this.slot(i - 1), this.slot(i));
    this.write(this.slot(lo), candle);
    this.count++;
    return 'inserted';
  }

  private slot(logical: number): number {
    const s = this.head + logical;
    return s >= this.capacity ? s - this.capacity : s;
  }

  private write(s: number, c: Candle): void {
    this.ts[s] = c[0];
    this.open[s] = c[1];
    this.high[s] = c[2];
    this.low[s] = c[3];
    this.close[s] = c[4];
    this.volume[s] = c[5];
  }

  private move(from: number, to: number): void {
    this.ts[to] = this.ts[from] ?? NaN;
    this.open[to] = this.open[from] ?? NaN;
    this.high[to] = this.high[from] ?? NaN;
    this.low[to] = this.low[from] ?? NaN;
    this.close[to] = this.close[from] ?? NaN;
    this.volume[to] = this.volume[from] ?? NaN;
  }

  private read(s: number): Candle {
    // A slot index is always inside the columns; NaN only satisfies the index type.
    return [this.ts[s] ?? NaN, this.open[s] ?? NaN, this.high[s] ?? NaN, this.low[s] ?? NaN, this.close[s] ?? NaN, this.volume[s] ?? NaN];
  }
}

/** The shipped OhlcvStoreFactory. */
export const createOhlcvRing = (rows: readonly Candle[], capacity: number): OhlcvRing => OhlcvRing.from(rows, capacity);
