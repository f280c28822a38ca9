import { describe, expect, it } from 'vitest';
import { DEFAULT_COMPONENT_BOUNDS, DEFAULT_OHLCV_LIMITS, ohlcvLimitFor } from './ohlcv-limits.ts';

describe('ohlcvLimitFor', () => {
  it('returns the original defaults per timeframe', () => {
    const expected = { '1m': 1440, '5m': 864, '15m': 672, '30m': 672, '1h': 720, '4h': 360, '1d': 365 };
    for (const [tf, limit] of Object.entries(expected)) expect(ohlcvLimitFor(tf)).toBe(limit);
    expect(DEFAULT_OHLCV_LIMITS).toEqual(expected);
  });

  it('gives any other timeframe 1000, even one named like an Object.prototype member', () => {
    expect(ohlcvLimitFor('3m')).toBe(1000);
    expect(ohlcvLimitFor('1w')).toBe(1000);
    expect(ohlcvLimitFor('constructor')).toBe(1000);
    expect(ohlcvLimitFor('toString', {})).toBe(1000);
  });

  it('lets overrides win per timeframe and for "other"', () => {
    const overrides = { '1m': 60, other: 50 };
    expect(ohlcvLimitFor('1m', overrides)).toBe(60);
    expect(ohlcvLimitFor('5m', overrides)).toBe(864);
    expect(ohlcvLimitFor('3m', overrides)).toBe(50);
  });

  it('bounds OI history at 288 and gives trades and liquidations their own bounds', () => {
    expect(DEFAULT_COMPONENT_BOUNDS).toEqual({ openInterestHistory: 288, trades: 1000, liquidations: 500 });
    expect(Object.isFrozen(DEFAULT_COMPONENT_BOUNDS) && Object.isFrozen(DEFAULT_OHLCV_LIMITS)).toBe(true);
  });
});
