import { describe, expect, it } from 'vitest';
import type { Candle } from '../core/market-types.ts';
import { DROP_REASONS, validateCandles } from './validate-candles.ts';
import type { DropReason } from './validate-candles.ts';

const MIN = 60_000;
const NOW = Date.UTC(2024, 4, 1, 12, 0);
const at = (minutesAgo: number, close = 100): Candle => [NOW - minutesAgo * MIN, 100, 110, 90, close, 5];
const onlyDropped = (reason: DropReason, n: number) =>
  Object.fromEntries(DROP_REASONS.map((r) => [r, r === reason ? n : 0]));

describe('validateCandles keeps good rows', () => {
  it('passes clean ascending rows through as fresh tuples', () => {
    const input = [at(2), at(1), at(0)];
    const result = validateCandles(input, '1m', NOW);
    expect(result.rows).toEqual(input);
    expect(result.rows[0]).not.toBe(input[0]);
    expect(result.dropped).toEqual(onlyDropped('shape', 0));
    expect(result.duplicates).toBe(0);
  });

  it('places out-of-order rows in order and merges duplicate timestamps, last wins', () => {
    const result = validateCandles([at(0, 101), at(2), at(1), at(0, 105), at(2, 99)], '1m', NOW);
    expect(result.rows).toEqual([at(2, 99), at(1), at(0, 105)]);
    expect(result.duplicates).toBe(2);
  });

  it('accepts zero volume and a forming candle slightly ahead of a skewed clock', () => {
    const ahead: Candle = [NOW + MIN, 100, 100, 100, 100, 0];
    expect(validateCandles([ahead], '1m', NOW).rows).toEqual([ahead]);
  });
});

describe('validateCandles drops each malformed kind, counted by reason', () => {
  const cases: Array<[DropReason, unknown]> = [
    ['shape', 'not a row'],
    ['shape', null],
    ['shape', { 0: NOW, length: 6 }],
    ['shape', [NOW, 1, 2, 1, 1]],
    ['shape', [NOW, 1, 2, 1, 1, 1, 7]],
    ['nonFinite', [NOW, Number.NaN, 2, 1, 1, 1]],
    ['nonFinite', [NOW, 1, Number.POSITIVE_INFINITY, 1, 1, 1]],
    ['nonFinite', [NOW, '1', 2, 1, 1, 1]],
    ['nonFinite', [NOW, 1, 2, 1, 1, null]],
    // eslint-disable-next-line no-sparse-arrays
    ['nonFinite', [NOW, 1, , 1, 1, 1]],
    ['negative', [NOW, 1, 2, 1, 1, -5]],
    ['negative', [-MIN, 1, 2, 1, 1, 1]],
    ['highBelowLow', [NOW, 1, 1, 2, 1, 1]],
    ['openCloseOutsideRange', [NOW, 3, 2, 1, 1.5, 1]],
    ['openCloseOutsideRange', [NOW, 1.5, 2, 1, 0.5, 1]],
    ['offGrid', [NOW + 1, 1, 2, 1, 1, 1]],
    ['offGrid', [NOW + 0.5, 1, 2, 1, 1, 1]],
    ['future', [NOW + 2 * MIN, 1, 2, 1, 1, 1]],
  ];
  it.each(cases)('%s: %j', (reason, row) => {
    const result = validateCandles([at(1), row, at(0)], '1m', NOW);
    expect(result.rows).toEqual([at(1), at(0)]);
    expect(result.dropped).toEqual(onlyDropped(reason, 1));
  });

  it('uses the timeframe grid and horizon, and a custom future tolerance', () => {
    const h4 = 4 * 60 * MIN;
    expect(validateCandles([[NOW - 60 * MIN, 1, 2, 1, 1, 1]], '4h', NOW).dropped.offGrid).toBe(1);
    expect(validateCandles([[NOW + h4, 1, 2, 1, 1, 1]], '4h', NOW - 4 * 60 * MIN + h4).rows).toHaveLength(1);
    expect(validateCandles([[NOW + MIN, 1, 2, 1, 1, 1]], '1m', NOW, { futureToleranceMs: 0 }).dropped.future).toBe(1);
  });
});

describe('validateCandles never throws', () => {
  it('counts a hostile row (throwing getter) as a bad shape', () => {
    const hostile: unknown[] = [NOW, 1, 2, 1, 1, 1];
    Object.defineProperty(hostile, 3, {
      get() {
        throw new Error('boom');
      },
    });
    const result = validateCandles([hostile, at(0)], '1m', NOW);
    expect(result.rows).toEqual([at(0)]);
    expect(result.dropped.shape).toBe(1);
  });

  it('returns nothing for a payload that is not an array, or an unknown timeframe', () => {
    expect(validateCandles({ rows: [] } as unknown as unknown[], '1m', NOW)).toEqual({
      rows: [],
      dropped: onlyDropped('shape', 1),
      duplicates: 0,
    });
    expect(validateCandles([at(0), at(1)], 'weekly', NOW).dropped).toEqual(onlyDropped('unknownTimeframe', 2));
  });

  it('survives a storm of random junk and keeps only valid rows', () => {
    let seed = 7;
    const random = () => ((seed = (seed * 1_103_515_245 + 12_345) % 2 ** 31) / 2 ** 31);
    const junk = [Number.NaN, -1, 'x', null, undefined, {}, [], Infinity, 1e308, 0, 90, 110, NOW];
    const pick = () => junk[Math.floor(random() * junk.length)];
    const rows = Array.from({ length: 2000 }, () => (random() < 0.3 ? pick() : Array.from({ length: 4 + Math.floor(random() * 4) }, pick)));
    const result = validateCandles(rows, '1m', NOW);
    const droppedTotal = Object.values(result.dropped).reduce((a, b) => a + b, 0);
    expect(droppedTotal + result.rows.length + result.duplicates).toBe(rows.length);
    for (const [ts, o, h, l, c, v] of result.rows) {
      expect(ts % MIN).toBe(0);
      expect(l <= o && o <= h && l <= c && c <= h && v >= 0).toBe(true);
    }
  });
});
