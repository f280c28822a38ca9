import type { Timeframe } from '../core/market-types.ts';

const SECOND = 1000;
const DAY = 86_400_000;
/** Weekly candles open on Monday 00:00 UTC (Bybit, Binance); the epoch was a Thursday. */
const FIRST_MONDAY = 4 * DAY;

/** Nominal unit lengths, as ccxt's parseTimeframe uses them (a month is 30 days, a year 365). */
const UNIT_MS = { s: SECOND, m: 60 * SECOND, h: 3600 * SECOND, d: DAY, w: 7 * DAY, M: 30 * DAY, y: 365 * DAY } as const;
type Unit = keyof typeof UNIT_MS;

export interface ParsedTimeframe {
  count: number;
  unit: Unit;
  /** Nominal length in ms (months and years approximate, like ccxt). */
  ms: number;
}

/** Parsed once per distinct string: candles are checked per message. Bounded, as every cache here is. */
const parsed = new Map<string, ParsedTimeframe | undefined>();
const PARSED_MAX = 64;

export function parseTimeframe(timeframe: Timeframe): ParsedTimeframe | undefined {
  if (parsed.has(timeframe)) return parsed.get(timeframe);
  const tf = parseUncached(timeframe);
  if (parsed.size < PARSED_MAX) parsed.set(timeframe, tf && Object.freeze(tf));
  return tf;
}

function parseUncached(timeframe: Timeframe): ParsedTimeframe | undefined {
  const match = typeof timeframe === 'string' ? /^([1-9]\d{0,3})([smhdwMy])$/.exec(timeframe) : null;
  if (match === null) return undefined;
  const count = Number(match[1]);
  const unit = match[2] as Unit;
  return { count, unit, ms: count * UNIT_MS[unit] };
}

/** Length of a timeframe in ms ('1m' → 60000), or undefined when it is not a timeframe. Never throws. */
export function timeframeMs(timeframe: Timeframe): number | undefined {
  return parseTimeframe(timeframe)?.ms;
}

/** Whether `ts` is the opening time of a candle of this timeframe (UTC grid; weeks from Monday). */
export function isOnTimeframeGrid(ts: number, tf: ParsedTimeframe): boolean {
  if (!Number.isSafeInteger(ts)) return false;
  switch (tf.unit) {
    case 'w':
      return mod(ts - FIRST_MONDAY, tf.ms) === 0;
    case 'M':
    case 'y': {
      const date = new Date(ts);
      if (date.getUTCDate() !== 1 || mod(ts, DAY) !== 0) return false;
      if (tf.unit === 'y') return date.getUTCMonth() === 0 && mod(date.getUTCFullYear() - 1970, tf.count) === 0;
      return mod((date.getUTCFullYear() - 1970) * 12 + date.getUTCMonth(), tf.count) === 0;
    }
    default:
      return mod(ts, tf.ms) === 0;
  }
}

function mod(a: number, m: number): number {
  return ((a % m) + m) % m;
}
