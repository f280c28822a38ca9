import type { PauseReason } from './rest-breaker.ts';
import type { RestPause } from './rest-gate.ts';
import type {
  Candle,
  LiquidationPrint,
  LongShortRatioPoint,
  OpenInterestPoint,
  OrderBookSnapshot,
  TickerSnapshot,
  Timeframe,
  TradePrint,
} from '../core/market-types.ts';
import type { ProClientState } from './pro-client-state.ts';
import type { DroppedTopic } from './topic-health.ts';

/**
 * What the manager needs from an exchange. The ccxt implementation (REST with bounded retries, pro
 * WebSocket with reconnect) lives beside this file; tests may implement it directly.
 *
 * Rows come back parsed by ccxt but NOT validated: the manager validates every row before caching.
 * Every REST method retries ccxt's NetworkError, RateLimitExceeded, ExchangeNotAvailable and
 * RequestTimeout, and Bybit's 10016, with exponential backoff and jitter, bounded in count, then
 * rejects. An IP ban (403) or an API limit (10006) pauses every REST call of the source (rest-gate.ts).
 */
export interface MarketSource {
  /** Listed linear perpetual symbols in ccxt's unified form, e.g. 'BTC/USDT:USDT', in the exchange's order. */
  loadSymbols(): Promise<string[]>;
  /** 24h turnover (quote volume) of every listed symbol, from one tickers request; ranks a topN universe. */
  fetchTurnovers(): Promise<Record<string, number>>;
  fetchTicker(symbol: string): Promise<TickerSnapshot>;
  fetchOrderBook(symbol: string, depth: number): Promise<OrderBookSnapshot>;
  fetchTrades(symbol: string, limit: number): Promise<TradePrint[]>;
  fetchOHLCV(symbol: string, timeframe: Timeframe, limit: number): Promise<Candle[]>;
  fetchOpenInterest(symbol: string): Promise<OpenInterestPoint>;
  fetchOpenInterestHistory(symbol: string, timeframe: Timeframe, limit: number): Promise<OpenInterestPoint[]>;
  /** undefined when the exchange has no long/short ratio. */
  fetchLongShortRatio?(symbol: string, timeframe: Timeframe, limit: number): Promise<LongShortRatioPoint[]>;

  /**
   * Streams updates between refreshes. Each subscription reconnects with backoff by itself until
   * `signal` aborts or `unwatch(symbol)` is called. Handlers must not throw.
   */
  watch(symbol: string, handlers: StreamHandlers, signal: AbortSignal): void;
  /** Stops every stream of the symbol and deletes it from the client's own caches (ccxt pro keeps some). */
  unwatch(symbol: string): Promise<void>;
  /** Entries the client library still holds for the symbol; the eviction test asserts 0. */
  clientCacheEntries(symbol: string): number;
  /** The client library's per-symbol state over all symbols, by kind (QA probe, soak, churn test). */
  clientState(): ProClientState;

  /** Errors by ccxt class name (NetworkError, RateLimitExceeded, ...), REST calls, WS messages. */
  stats(): SourceStats;
  close(): Promise<void>;
}

export interface StreamHandlers {
  onCandles(timeframe: Timeframe, rows: Candle[]): void;
  onTicker(ticker: TickerSnapshot): void;
  onTrades(trades: TradePrint[]): void;
  onOrderBook(book: OrderBookSnapshot): void;
  onLiquidations?(rows: LiquidationPrint[]): void;
}

export interface SourceStats {
  restCalls: number;
  wsMessages: number;
  reconnects: number;
  errorsByKind: Record<string, number>;
  /** The global REST pause in force (IP ban or API limit), or null; sources without one leave it out. */
  restPause?: RestPause | null;
  /** Pauses begun so far, by reason. */
  restPauses?: Record<PauseReason, number>;
  /** Books resyncing now (stale until their snapshot), and streams given up on; sources without streams leave it out. */
  topics?: { resyncing: string[]; dropped: DroppedTopic[] };
}
