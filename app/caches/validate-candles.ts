import type { Candle, Timeframe } from '../core/market-types.ts';
import { isOnTimeframeGrid, parseTimeframe } from './timeframe.ts';
import type { ParsedTimeframe } from './timeframe.ts';

export { timeframeMs } from './timeframe.ts';

/** Why a row was dropped. A row with several faults counts once, under the first reason in this order. */
export const DROP_REASONS = [
  'shape', // not an array, or not exactly [ts, o, h, l, c, v]
  'nonFinite', // a value that is not a finite number (NaN, Infinity, a string, null)
  'negative',
  'highBelowLow',
  'openCloseOutsideRange', // open or close outside [low, high]
  'offGrid', // timestamp not the opening time of a candle of this timeframe
  'future', // timestamp later than now + tolerance
  'unknownTimeframe', // the timeframe itself cannot be parsed: no row can be checked against its grid
] as const;
export type DropReason = (typeof DROP_REASONS)[number];

// Built once: this runs for every kline message, and a spread of a literal is far cheaper than fromEntries.
const NO_DROPS: Readonly<Record<DropReason, number>> = Object.fromEntries(DROP_REASONS.map((r) => [r, 0])) as Record<DropReason, number>;

export interface ValidateCandlesOptions {
  /** How far past `nowMs` a candle may open (clock skew); default one timeframe. */
  futureToleranceMs?: number;
}

export interface ValidatedCandles {
  /** Sorted by timestamp, one row per timestamp (the last one given wins). */
  rows: Candle[];
  dropped: Record<DropReason, number>;
  /** Rows merged into a later row with the same timestamp (not counted as dropped). */
  duplicates: number;
}

/**
 * Checks rows from an exchange before they reach a cache. Never throws: whatever `rows` holds, bad rows
 * are counted by reason and left out, and the rest come back as fresh tuples in timestamp order.
 */
export function validateCandles(
  rows: readonly unknown[],
  timeframe: Timeframe,
  nowMs: number,
  opts: ValidateCandlesOptions = {},
): ValidatedCandles {
  const dropped = { ...NO_DROPS };
  if (!Array.isArray(rows)) {
    dropped.shape++;
    return { rows: [], dropped, duplicates: 0 };
  }
  const tf = parseTimeframe(timeframe);
  if (tf === undefined) {
    dropped.unknownTimeframe += rows.length;
    return { rows: [], dropped, duplicates: 0 };
  }
  const latestAllowed = nowMs + (opts.futureToleranceMs ?? tf.ms);
  const valid: Candle[] = [];
  let ascending = true;
  for (let i = 0; i < rows.length; i++) {
    const checked = checkRowSafely(rows, i, tf, latestAllowed);
    if (typeof checked === 'string') {
      dropped[checked]++;
      continue;
    }
    const previous = valid[valid.length - 1];
    if (previous !== undefined && checked[0] <= previous[0]) ascending = false;
    valid.push(checked);
  }
  if (ascending) return { rows: valid, dropped, duplicates: 0 };
  const byTs = new Map<number, Candle>();
  for (const row of valid) byTs.set(row[0], row);
  const merged = [...byTs.values()].sort((a, b) => a[0] - b[0]);
  return { rows: merged, dropped, duplicates: valid.length - merged.length };
}

/** Hostile inputs (throwing getters, proxies) count as a bad shape instead of escaping as an exception. */
function checkRowSafely(rows: readonly unknown[], i: number, tf: ParsedTimeframe, latestAllowed: number): Candle | DropReason {
  try {
    return checkRow(rows[i], tf, latestAllowed);
  } catch {
    return 'shape';
  }
}

const finite = (v: unknown): v is number => typeof v === 'number' && Number.isFinite(v);

function checkRow(row: unknown, tf: ParsedTimeframe, latestAllowed: number): Candle | DropReason {
  if (!Array.isArray(row) || row.length !== 6) return 'shape';
  // Indexed reads see a hole as undefined, so a sparse row is not finite. No closures: this runs per message.
  const cells: readonly unknown[] = row;
  const [ts, open, high, low, close, volume] = cells;
  if (!finite(ts) || !finite(open) || !finite(high) || !finite(low) || !finite(close) || !finite(volume)) return 'nonFinite';
  const candle: Candle = [ts, open, high, low, close, volume];
  if (ts < 0 || open < 0 || high < 0 || low < 0 || close < 0 || volume < 0) return 'negative';
  if (high < low) return 'highBelowLow';
  if (open < low || open > high || close < low || close > high) return 'openCloseOutsideRange';
  if (!isOnTimeframeGrid(ts, tf)) return 'offGrid';
  if (ts > latestAllowed) return 'future';
  return candle;
}
