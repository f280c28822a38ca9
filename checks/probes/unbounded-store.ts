import type { OhlcvStore, UpsertOutcome } from '../../app/caches/ohlcv-store.ts';
import type { Candle } from '../../app/core/market-types.ts';

/**
 * A candle store with no capacity of its own that honours trimTo. The shipped ring is bounded by
 * construction, which would hide a missing or no-op trim in the manager; with this store only the
 * manager's own trims bound the data, so the probes see exactly those.
 */
export class TrimOnlyStore implements OhlcvStore {
  private rows: Candle[] = [];

  static from(rows: readonly Candle[]): TrimOnlyStore {
    const s = new TrimOnlyStore();
    s.appendMany(rows);
    return s;
  }

  get size(): number {
    return this.rows.length;
  }

  get bytes(): number {
    return this.rows.length * 48;
  }

  upsert(candle: Candle): UpsertOutcome {
    const newestTs = this.rows.at(-1)?.[0] ?? -Infinity;
    if (candle[0] > newestTs) {
      this.rows.push([...candle]);
      return 'appended';
    }
    const i = this.rows.findIndex((r) => r[0] === candle[0]);
    if (i >= 0) {
      this.rows[i] = [...candle];
      return 'updated';
    }
    this.rows.push([...candle]);
    this.rows.sort((a, b) => a[0] - b[0]);
    return 'inserted';
  }

  appendMany(rows: readonly Candle[]): number {
    return rows.filter((r) => this.upsert(r) !== 'dropped').length;
  }

  trimTo(n: number): number {
    const dropped = Math.max(0, this.rows.length - Math.max(0, Math.floor(n)));
    this.rows = this.rows.slice(dropped);
    return dropped;
  }

  toArray(limit?: number): Candle[] {
    return (limit === undefined ? this.rows : this.rows.slice(-limit)).map((r): Candle => [...r]);
  }

  last(): Candle | undefined {
    return this.rows.at(-1);
  }
}

export const createTrimOnlyStore = (rows: readonly Candle[]): TrimOnlyStore => TrimOnlyStore.from(rows);
