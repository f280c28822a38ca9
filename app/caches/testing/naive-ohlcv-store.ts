import type { Candle } from '../../core/market-types.ts';
import type { OhlcvStore, UpsertOutcome } from '../ohlcv-store.ts';

/**
 * A JS array of candles costs about this much per row (array header + boxed elements backing store),
 * measured by the bench's push + slice contender. Only an estimate: JS arrays have no exact size.
 */
const ESTIMATED_BYTES_PER_ROW = 105;

/**
 * The original service's design, ported as-is for the soak's "before" build: every update concatenates,
 * dedupes (last wins) and re-sorts the whole frame, and nothing is ever trimmed, not even by trimTo.
 * Not shipped; it exists to show the leak the ring removes.
 */
export class NaiveOhlcvStore implements OhlcvStore {
  private rows: Candle[] = [];

  static from(rows: readonly Candle[]): NaiveOhlcvStore {
    const store = new NaiveOhlcvStore();
    store.appendMany(rows);
    return store;
  }

  get size(): number {
    return this.rows.length;
  }

  get bytes(): number {
    return this.rows.length * ESTIMATED_BYTES_PER_ROW;
  }

  upsert(candle: Candle): UpsertOutcome {
    if (!Number.isFinite(candle[0])) return 'dropped';
    const before = this.rows.length;
    const newest = this.rows[before - 1];
    this.rows = mergeFrame(this.rows, [candle]);
    if (this.rows.length === before) return 'updated';
    return newest === undefined || candle[0] > newest[0] ? 'appended' : 'inserted';
  }

  appendMany(rows: readonly Candle[]): number {
    const finite = rows.filter((row) => Number.isFinite(row[0]));
    this.rows = mergeFrame(this.rows, finite);
    return finite.length;
  }

  /** The original never trimmed; this store keeps that flaw so the soak can measure it. */
  trimTo(_n: number): number {
    return 0;
  }

  toArray(limit?: number): Candle[] {
    const copy = this.rows.map((row): Candle => [...row]);
    return limit === undefined ? copy : copy.slice(copy.length - Math.min(copy.length, Math.max(0, limit)));
  }

  last(): Candle | undefined {
    const row = this.rows[this.rows.length - 1];
    return row === undefined ? undefined : [...row];
  }
}

/** pd.concat + drop_duplicates(keep='last') + sort_values, as the original did on every update. */
function mergeFrame(frame: readonly Candle[], incoming: readonly Candle[]): Candle[] {
  const byTs = new Map<number, Candle>();
  for (const row of [...frame, ...incoming]) byTs.set(row[0], [...row]);
  return [...byTs.values()].sort((a, b) => a[0] - b[0]);
}

/** An OhlcvStoreFactory for the soak's unbounded "before" build: the capacity is ignored on purpose. */
export const createNaiveOhlcvStore = (rows: readonly Candle[], _capacity: number): NaiveOhlcvStore =>
  NaiveOhlcvStore.from(rows);
