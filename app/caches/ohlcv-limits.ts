import type { Timeframe } from '../core/market-types.ts';

/** Candles kept per (symbol, timeframe): the original service's defaults (a day of 1m, 3 days of 5m, ...). */
export const DEFAULT_OHLCV_LIMITS: Readonly<Record<Timeframe, number>> = Object.freeze({
  '1m': 1440,
  '5m': 864,
  '15m': 672,
  '30m': 672,
  '1h': 720,
  '4h': 360,
  '1d': 365,
});

/** The limit of any timeframe not listed above. */
export const DEFAULT_OTHER_OHLCV_LIMIT = 1000;

/** Bounds of the other growing components: OI history is a day of 5-minute points. */
export const DEFAULT_COMPONENT_BOUNDS = Object.freeze({
  openInterestHistory: 288,
  trades: 1000,
  liquidations: 500,
});

/**
 * Overrides per timeframe, plus an optional `other` for timeframes with no entry of their own.
 * Own properties only: a timeframe named like an Object.prototype member must not pick up a function.
 */
export type OhlcvLimitOverrides = Readonly<Record<string, number>>;

export function ohlcvLimitFor(timeframe: Timeframe, overrides?: OhlcvLimitOverrides): number {
  return (
    ownLimit(overrides, timeframe) ??
    ownLimit(DEFAULT_OHLCV_LIMITS, timeframe) ??
    ownLimit(overrides, 'other') ??
    DEFAULT_OTHER_OHLCV_LIMIT
  );
}

function ownLimit(table: OhlcvLimitOverrides | undefined, key: string): number | undefined {
  return table !== undefined && Object.hasOwn(table, key) ? table[key] : undefined;
}
