import { describe, expect, it } from 'vitest';
import type { Candle } from '../core/market-types.ts';
import { OhlcvRing } from './ohlcv-ring.ts';
import { NaiveOhlcvStore } from './testing/naive-ohlcv-store.ts';

const MIN = 60_000;
const T0 = 1_700_000_040_000; // on the 1m grid
const candle = (i: number, close = 100 + i): Candle => [T0 + i * MIN, close, close + 1, close - 1, close, i];
const timestamps = (ring: OhlcvRing) => ring.toArray().map((c) => (c[0] - T0) / MIN);

describe('OhlcvRing merge semantics', () => {
  it('updates the live candle in place, without growing', () => {
    const ring = OhlcvRing.from([candle(0), candle(1)], 5);
    expect(ring.upsert(candle(1, 555))).toBe('updated');
    expect(ring.size).toBe(2);
    expect(ring.last()).toEqual(candle(1, 555));
    expect(ring.at(0)).toEqual(candle(0));
  });

  it('appends newer candles and evicts the oldest at capacity', () => {
    const ring = new OhlcvRing(3);
    for (let i = 0; i < 3; i++) expect(ring.upsert(candle(i))).toBe('appended');
    expect(ring.upsert(candle(3))).toBe('appended');
    expect(ring.size).toBe(3);
    expect(timestamps(ring)).toEqual([1, 2, 3]);
    expect(ring.upsert(candle(4))).toBe('appended');
    expect(timestamps(ring)).toEqual([2, 3, 4]);
    expect(ring.toArray()[2]).toEqual(candle(4));
  });

  it('backfills older candles in timestamp order, across the wrap point', () => {
    const ring = new OhlcvRing(6);
    for (const i of [0, 2, 4, 6, 8, 10, 12]) ring.upsert(candle(i)); // wrapped: head is not slot 0
    expect(timestamps(ring)).toEqual([2, 4, 6, 8, 10, 12]);
    ring.trimTo(4);
    expect(ring.upsert(candle(7))).toBe('inserted');
    expect(ring.upsert(candle(5))).toBe('inserted');
    expect(timestamps(ring)).toEqual([5, 6, 7, 8, 10, 12]);
    expect(ring.at(2)).toEqual(candle(7));
  });

  it('updates a backfilled timestamp in place instead of duplicating it', () => {
    const ring = OhlcvRing.from([candle(0), candle(1), candle(2)], 5);
    expect(ring.upsert(candle(1, 999))).toBe('updated');
    expect(ring.size).toBe(3);
    expect(ring.at(1)).toEqual(candle(1, 999));
  });

  it('when full, a backfill evicts the oldest; one older than everything is dropped', () => {
    const ring = OhlcvRing.from([candle(0), candle(2), candle(4)], 3);
    expect(ring.upsert(candle(3))).toBe('inserted');
    expect(timestamps(ring)).toEqual([2, 3, 4]);
    expect(ring.upsert(candle(1))).toBe('dropped');
    expect(timestamps(ring)).toEqual([2, 3, 4]);
  });

  it('drops a candle whose timestamp is not a finite number', () => {
    const ring = OhlcvRing.from([candle(0)], 3);
    expect(ring.upsert([Number.NaN, 1, 1, 1, 1, 1])).toBe('dropped');
    expect(ring.size).toBe(1);
  });

  it('a first insert of 5,000 1m candles into a ring of 1440 keeps the newest 1440', () => {
    const rows = Array.from({ length: 5000 }, (_, i) => candle(i));
    const ring = OhlcvRing.from(rows, 1440);
    expect(ring.size).toBe(1440);
    expect(ring.at(0)).toEqual(candle(5000 - 1440));
    expect(ring.last()).toEqual(candle(4999));
    expect(ring.toArray()).toEqual(rows.slice(-1440));
    // newest first (as Bybit sends klines) ends in the same place
    expect(OhlcvRing.from([...rows].reverse(), 1440).toArray()).toEqual(rows.slice(-1440));
  });

  it('matches the naive concat + dedupe + sort frame cut to capacity, on a random stream', () => {
    let seed = 42;
    const random = () => ((seed = (seed * 1_103_515_245 + 12_345) % 2 ** 31) / 2 ** 31);
    const ring = new OhlcvRing(50);
    const naive = new NaiveOhlcvStore();
    let newest = 0;
    for (let step = 0; step < 3000; step++) {
      const r = random();
      const i = r < 0.5 ? newest : r < 0.8 ? ++newest : Math.max(0, newest - Math.floor(random() * 80));
      const row = candle(i, Math.floor(random() * 1000));
      ring.upsert(row);
      naive.upsert(row);
    }
    expect(ring.toArray()).toEqual(naive.toArray().slice(-50));
  });
});

describe('OhlcvRing accessors and trimTo', () => {
  it('at() reads by logical index, negative from the newest, undefined outside', () => {
    const ring = OhlcvRing.from([0, 1, 2, 3].map((i) => candle(i)), 3);
    expect(ring.at(0)).toEqual(candle(1));
    expect(ring.at(-1)).toEqual(candle(3));
    expect(ring.at(3)).toBeUndefined();
    expect(ring.at(-4)).toBeUndefined();
    expect(ring.at(0.5)).toBeUndefined();
    expect(new OhlcvRing(2).last()).toBeUndefined();
  });

  it('toArray(limit) returns the newest rows as copies', () => {
    const ring = OhlcvRing.from([0, 1, 2, 3].map((i) => candle(i)), 10);
    expect(ring.toArray(2)).toEqual([candle(2), candle(3)]);
    expect(ring.toArray(0)).toEqual([]);
    const copy = ring.toArray();
    copy[0]![4] = -1;
    expect(ring.at(0)).toEqual(candle(0));
  });

  it('trimTo keeps the newest n, reports the dropped count, and keeps merging correctly', () => {
    const ring = OhlcvRing.from(Array.from({ length: 12 }, (_, i) => candle(i)), 10);
    expect(ring.trimTo(4)).toBe(6);
    expect(timestamps(ring)).toEqual([8, 9, 10, 11]);
    expect(ring.trimTo(4)).toBe(0);
    expect(ring.trimTo(Number.NaN)).toBe(0);
    expect(ring.capacity).toBe(10);
    ring.upsert(candle(12));
    expect(timestamps(ring)).toEqual([8, 9, 10, 11, 12]);
    expect(ring.trimTo(0)).toBe(5);
    expect(ring.size).toBe(0);
    ring.upsert(candle(20));
    expect(timestamps(ring)).toEqual([20]);
  });

  it('bytes are the six float64 columns of the capacity, whatever the fill', () => {
    expect(new OhlcvRing(1000).bytes).toBe(48_000);
    expect(OhlcvRing.from([candle(0)], 1000).bytes).toBe(48_000);
  });

  it('refuses a capacity that is not a positive integer, naming it', () => {
    for (const bad of [0, -1, 1.5, Number.NaN]) expect(() => new OhlcvRing(bad)).toThrow(/capacity must be a positive integer/);
  });
});
