import { describe, expect, it } from 'vitest';
import type { Candle } from '../../core/market-types.ts';
import { createNaiveOhlcvStore } from './naive-ohlcv-store.ts';

const row = (i: number, close = 1): Candle => [i * 60_000, close, close, close, close, 1];

describe('NaiveOhlcvStore (the leaky "before" design)', () => {
  it('merges like the ring: update in place, append, backfill in order', () => {
    const store = createNaiveOhlcvStore([row(1), row(3)], 2);
    expect(store.upsert(row(3, 9))).toBe('updated');
    expect(store.upsert(row(4))).toBe('appended');
    expect(store.upsert(row(2))).toBe('inserted');
    expect(store.toArray()).toEqual([row(1), row(2), row(3, 9), row(4)]);
    expect(store.last()).toEqual(row(4));
  });

  it('ignores its capacity and trimTo: it only ever grows', () => {
    const store = createNaiveOhlcvStore(Array.from({ length: 50 }, (_, i) => row(i)), 10);
    expect(store.trimTo(10)).toBe(0);
    expect(store.size).toBe(50);
    expect(store.bytes).toBeGreaterThan(50 * 48);
  });
});
