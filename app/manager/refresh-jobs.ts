import type { ServiceConfig } from '../config/config-schema.ts';
import type { Candle, LongShortRatioPoint, OpenInterestPoint, OrderBookSnapshot, TickerSnapshot, TradePrint } from '../core/market-types.ts';
import type { MarketSource } from '../exchange/market-source.ts';
import type { RefreshJob } from './refresh-scheduler.ts';

/** Bybit v5's page caps (kline 1000, open-interest 200); a longer history accrues over refreshes. */
export const MAX_KLINE_PAGE = 1000;
export const MAX_OI_PAGE = 200;

/** Where fetched rows go: the manager's store methods, each validating and bounding. */
export interface RefreshSink {
  isTracked(symbol: string): boolean;
  ohlcvLimit(timeframe: string): number;
  ohlcvFetchSize(symbol: string, timeframe: string, pageMax: number): number;
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
const fallbackSeconds = (timeframe: string) => {
  const n = Number.parseInt(timeframe, 10);
  const unit = { m: 60, h: 3600, d: 86_400, w: 604_800, M: 2_592_000 }[timeframe.slice(-1)] ?? 60;
  return Math.min(n * unit * 60, 86_400);
};

/**
 * The refresh plan: one job per component, each with its own interval. A fetch that resolves after its
 * symbol left the universe is discarded, or it would recreate caches the cleanup just evicted.
 */
export function buildRefreshJobs(source: MarketSource, sink: RefreshSink, config: RefreshConfig): RefreshJob[] {
  const r = config.refresh;
  const job = <T>(name: string, seconds: number, fetch: (s: string) => Promise<T>, store: (s: string, v: T) => void): RefreshJob => ({
    name,
    intervalMs: seconds * 1000,
    run: async (symbol) => {
      const value = await fetch(symbol);
      if (sink.isTracked(symbol)) store(symbol, value);
    },
  });

  const jobs: RefreshJob[] = [
    job('ticker', r.tickerSeconds, (s) => source.fetchTicker(s), (_s, t) => sink.storeTicker(t)),
    job('orderbook', r.orderbookSeconds, (s) => source.fetchOrderBook(s, config.limits.orderbookDepth), (_s, b) => sink.storeOrderBook(b)),
    job('trades', r.tradesSeconds, (s) => source.fetchTrades(s, config.limits.trades), (s, rows) => sink.storeTrades(s, rows)),
    ...config.timeframes.map((tf) =>
      job(`ohlcv:${tf}`, r.ohlcvSeconds[tf] ?? fallbackSeconds(tf), (s) => source.fetchOHLCV(s, tf, sink.ohlcvFetchSize(s, tf, MAX_KLINE_PAGE)), (s, rows) =>
        sink.storeOhlcv(s, tf, rows),
      ),
    ),
    job('openInterest', r.openInterestSeconds, (s) => source.fetchOpenInterest(s), (s, p) => sink.storeOpenInterest(s, p)),
    job(
      'openInterestHistory',
      r.openInterestHistorySeconds,
      (s) => source.fetchOpenInterestHistory(s, '5m', Math.min(MAX_OI_PAGE, config.limits.oiHistory)),
      (s, rows) => sink.storeOpenInterestHistory(s, rows),
    ),
  ];
  const fetchRatio = source.fetchLongShortRatio?.bind(source);
  if (fetchRatio) {
    jobs.push(
      job('longShortRatio', r.longShortRatioSeconds, (s) => fetchRatio(s, '5m', Math.min(MAX_OI_PAGE, config.limits.longShortRatio)), (s, rows) =>
        sink.storeLongShortRatio(s, rows),
      ),
    );
  }
  return jobs;
}
