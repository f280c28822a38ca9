import { timeframeMs } from '../caches/timeframe.ts';
import type { ServiceConfig } from '../config/config-schema.ts';
import type { Candle, LongShortRatioPoint, OpenInterestPoint, OrderBookSnapshot, TickerSnapshot, TradePrint } from '../core/market-types.ts';
import { OI_HISTORY_MAX, RATIO_PAGE_MAX } from '../exchange/history-pages.ts';
import type { MarketSource } from '../exchange/market-source.ts';
import type { RefreshJob } from './refresh-scheduler.ts';

/** Bybit v5's kline page cap; a longer candle history accrues over refreshes. */
export const MAX_KLINE_PAGE = 1000;

/** Where fetched rows go: the manager's store methods, each validating and bounding. */
export interface RefreshSink {
  isTracked(symbol: string): boolean;
  ohlcvLimit(timeframe: string): number;
  ohlcvFetchSize(symbol: string, timeframe: string, pageMax: number): number;
  historyFetchSize(kind: 'openInterestHistory' | 'longShortRatio', symbol: string, timeframe: string, max: number): number;
  storeTicker(t: TickerSnapshot): void;
  storeOrderBook(b: OrderBookSnapshot): void;
  storeTrades(symbol: string, rows: readonly TradePrint[]): number;
  storeOhlcv(symbol: string, timeframe: string, rows: readonly Candle[]): number;
  storeOpenInterest(symbol: string, point: OpenInterestPoint): void;
  storeOpenInterestHistory(symbol: string, rows: readonly OpenInterestPoint[]): number;
  storeLongShortRatio(symbol: string, rows: readonly LongShortRatioPoint[]): number;
}

export type RefreshConfig = Pick<ServiceConfig, 'timeframes' | 'refresh' | 'limits'>;

/** A timeframe with no configured interval refreshes once per 60 of its candles, at most daily. */
const fallbackSeconds = (timeframe: string) => Math.min(((timeframeMs(timeframe) ?? 60_000) / 1000) * 60, 86_400);

/** Who gets the REST budget first when it is short: live state, then the rest, then history. */
export const PRIORITY = { live: 0, recent: 1, history: 2 } as const;

/**
 * The refresh plan: one job per component, each with its own interval and priority. A fetch that resolves after its
 * symbol left the universe is discarded, or it would recreate caches the cleanup just evicted.
 */
export function buildRefreshJobs(source: MarketSource, sink: RefreshSink, config: RefreshConfig): RefreshJob[] {
  const r = config.refresh;
  const job = <T>(name: string, seconds: number, priority: number, fetch: (s: string) => Promise<T>, store: (s: string, v: T) => void): RefreshJob => ({
    name,
    intervalMs: seconds * 1000,
    priority,
    run: async (symbol) => {
      const value = await fetch(symbol);
      if (sink.isTracked(symbol)) store(symbol, value);
    },
  });

  const jobs: RefreshJob[] = [
    job('ticker', r.tickerSeconds, PRIORITY.live, (s) => source.fetchTicker(s), (_s, t) => sink.storeTicker(t)),
    job('orderbook', r.orderbookSeconds, PRIORITY.live, (s) => source.fetchOrderBook(s, config.limits.orderbookDepth), (_s, b) => sink.storeOrderBook(b)),
    job('trades', r.tradesSeconds, PRIORITY.recent, (s) => source.fetchTrades(s, config.limits.trades), (s, rows) => sink.storeTrades(s, rows)),
    ...config.timeframes.map((tf) =>
      job(`ohlcv:${tf}`, r.ohlcvSeconds[tf] ?? fallbackSeconds(tf), PRIORITY.history, (s) => source.fetchOHLCV(s, tf, sink.ohlcvFetchSize(s, tf, MAX_KLINE_PAGE)), (s, rows) =>
        sink.storeOhlcv(s, tf, rows),
      ),
    ),
    job('openInterest', r.openInterestSeconds, PRIORITY.recent, (s) => source.fetchOpenInterest(s), (s, p) => sink.storeOpenInterest(s, p)),
    job(
      'openInterestHistory',
      r.openInterestHistorySeconds,
      PRIORITY.history,
      (s) => source.fetchOpenInterestHistory(s, '5m', sink.historyFetchSize('openInterestHistory', s, '5m', OI_HISTORY_MAX)),
      (s, rows) => sink.storeOpenInterestHistory(s, rows),
    ),
  ];
  const fetchRatio = source.fetchLongShortRatio?.bind(source);
  if (fetchRatio) {
    jobs.push(
      job('longShortRatio', r.longShortRatioSeconds, PRIORITY.history, (s) => fetchRatio(s, '5m', sink.historyFetchSize('longShortRatio', s, '5m', RATIO_PAGE_MAX)), (s, rows) =>
        sink.storeLongShortRatio(s, rows),
      ),
    );
  }
  return jobs;
}
