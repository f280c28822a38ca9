import type { Timeframe } from '../core/market-types.ts';

const MINUTE = 60_000;
const DAY = 1440 * MINUTE;
/** Weekly candles open on Monday 00:00 UTC (Bybit, Binance); the epoch was a Thursday. */
const FIRST_MONDAY = 4 * DAY;

/**
 * The one timeframe table: every unified timeframe Bybit v5 serves klines for, its kline `interval`
 * parameter, and its length as ccxt's `parseTimeframe` gives it (a month is 30 days). It is a table and not
 * a call into ccxt because config and the caches are loaded by every unit test and probe, and `import
 * 'ccxt'` costs about 0.4 s each; timeframe.test.ts pins the table to ccxt's `parseTimeframe` and to
 * ccxt bybit's own `timeframes`, so it cannot drift from either.
 */
export const BYBIT_TIMEFRAMES = {
  '1m': { interval: '1', ms: MINUTE },
  '3m': { interval: '3', ms: 3 * MINUTE },
  '5m': { interval: '5', ms: 5 * MINUTE },
  '15m': { interval: '15', ms: 15 * MINUTE },
  '30m': { interval: '30', ms: 30 * MINUTE },
  '1h': { interval: '60', ms: 60 * MINUTE },
  '2h': { interval: '120', ms: 120 * MINUTE },
  '4h': { interval: '240', ms: 240 * MINUTE },
  '6h': { interval: '360', ms: 360 * MINUTE },
  '12h': { interval: '720', ms: 720 * MINUTE },
  '1d': { interval: 'D', ms: DAY },
  '1w': { interval: 'W', ms: 7 * DAY },
  '1M': { interval: 'M', ms: 30 * DAY },
} as const satisfies Record<string, { interval: string; ms: number }>;

export type BybitTimeframe = keyof typeof BYBIT_TIMEFRAMES;
export const BYBIT_TIMEFRAME_NAMES: readonly string[] = Object.keys(BYBIT_TIMEFRAMES);

export interface ParsedTimeframe {
  timeframe: BybitTimeframe;
  /** Nominal length in ms (a month is 30 days, like ccxt). */
  ms: number;
}

export const isBybitTimeframe = (timeframe: unknown): timeframe is BybitTimeframe =>
  typeof timeframe === 'string' && Object.hasOwn(BYBIT_TIMEFRAMES, timeframe);

/** The timeframe and its length, or undefined when Bybit serves no such kline interval. Never throws. */
export function parseTimeframe(timeframe: Timeframe): ParsedTimeframe | undefined {
  return isBybitTimeframe(timeframe) ? { timeframe, ms: BYBIT_TIMEFRAMES[timeframe].ms } : undefined;
}

/** Length of a timeframe in ms ('1m' → 60000), or undefined when it is not one Bybit serves. Never throws. */
export function timeframeMs(timeframe: Timeframe): number | undefined {
  return parseTimeframe(timeframe)?.ms;
}

/** Whether `ts` is the opening time of a candle of this timeframe (UTC grid; weeks from Monday). */
export function isOnTimeframeGrid(ts: number, tf: ParsedTimeframe): boolean {
  if (!Number.isSafeInteger(ts)) return false;
  if (tf.timeframe === '1w') return mod(ts - FIRST_MONDAY, tf.ms) === 0;
  if (tf.timeframe === '1M') return new Date(ts).getUTCDate() === 1 && mod(ts, DAY) === 0;
  return mod(ts, tf.ms) === 0;
}

function mod(a: number, m: number): number {
  return ((a % m) + m) % m;
}
