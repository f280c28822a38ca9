import type { ProStateKind } from '../../app/exchange/pro-client-state.ts';
import type { ChurnResult } from '../../app/manager/testing/delisting-churn.ts';

/** Streams per watched symbol: one kline per timeframe, ticker, trades, book, liquidations. */
export const streamsPerSymbol = (timeframes: number) => timeframes + 4;
/** ccxt's liquidations cache limit as the source sets it (wsCacheLimit): rows over all symbols. */
const CACHE_LIMIT = 50;

export interface OverBound {
  what: string;
  count: number;
  bound: number;
}

/**
 * What ccxt (and the server, for it) still holds beyond what the live universe needs after listings and
 * delistings: per-symbol caches, client subscriptions, futures and stored rejections, and the topics the
 * exchange still pushes. Empty when everything is bounded by the live symbols.
 */
export function churnOverBounds(r: Pick<ChurnResult, 'live' | 'names' | 'state' | 'serverSubscriptions'>, timeframes: number): OverBound[] {
  const live = r.live.length;
  const streams = live * streamsPerSymbol(timeframes);
  const bounds: ReadonlyArray<readonly [ProStateKind, number]> = [
    ['ohlcvs', live * timeframes],
    ['tickers', live],
    ['orderbooks', live],
    ['trades', live],
    ['liquidations', CACHE_LIMIT],
    ['subscriptions', streams],
    ['futures', streams],
    ['rejections', streams],
  ];
  const over: OverBound[] = bounds.map(([what, bound]) => ({ what, count: r.state.byKind[what], bound })).filter((o) => o.count > o.bound);
  // Under any name: a gone symbol's messages that arrived after ccxt's market table dropped it sit under its exchange id.
  const liveNames = new Set(r.live.flatMap((s) => r.names[s] ?? [s]));
  const notLive = Object.entries(r.state.bySymbol).filter(([s, n]) => n > 0 && !liveNames.has(s));
  if (notLive.length > 0) over.push({ what: 'entries of symbols not live', count: notLive.reduce((n, [, k]) => n + k, 0), bound: 0 });
  if (r.serverSubscriptions > streams) over.push({ what: 'open WS subscriptions', count: r.serverSubscriptions, bound: streams });
  return over;
}
