import type { Candle } from '../core/market-types.ts';

/** What an upsert did with the candle: the manager counts these, the soak compares stores by them. */
export type UpsertOutcome = 'updated' | 'appended' | 'inserted' | 'dropped';

/**
 * The minimal surface the manager needs from a per-(symbol, timeframe) candle store. OhlcvRing is the
 * shipped one; the QA soak injects an unbounded naive one through the same surface to show the leak.
 */
export interface OhlcvStore {
  upsert(candle: Candle): UpsertOutcome;
  /** Upserts each row in order; returns how many changed the store (not 'dropped'). */
  appendMany(rows: readonly Candle[]): number;
  readonly size: number;
  /** Keeps the newest `n` candles; returns how many were dropped. */
  trimTo(n: number): number;
  /** Oldest first; with `limit`, only the newest `limit` candles. */
  toArray(limit?: number): Candle[];
  last(): Candle | undefined;
  /** Bytes this store retains for its candles (exact for the ring, an estimate for array stores). */
  readonly bytes: number;
}

/** How the manager builds a store for a key not yet cached: from already-trimmed rows and the key's limit. */
export type OhlcvStoreFactory = (rows: readonly Candle[], capacity: number) => OhlcvStore;
