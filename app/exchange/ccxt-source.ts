import { systemClock, type Clock } from '../core/clock.ts';
import type { Timeframe } from '../core/market-types.ts';
import { createProExchange, isNetworkError, type ExchangeCredentials } from './ccxt-instance.ts';
import { toBook, toCandles, toLongShort, toOpenInterest, toTicker, toTrade } from './ccxt-convert.ts';
import { Watches } from './ccxt-watch.ts';
import type { MarketSource, SourceStats } from './market-source.ts';
import { countProEntries, type ProState } from './pro-cache.ts';
import { checkPolicy, defaultReconnect, defaultRestRetry, errorKind, withRetry, type RetryPolicy } from './retry.ts';

export interface CcxtSourceOptions {
  /** Only bybit (v5, linear perps) is wired. */
  exchange?: 'bybit';
  /** Sim mode: the emulator's http://127.0.0.1:PORT, used for every REST entry of ccxt's bybit. */
  restBaseUrl?: string;
  /** Sim mode: ws://127.0.0.1:PORT/v5/public/linear */
  wsUrl?: string;
  /** false (default): any non-loopback REST or WS URL throws. true only for live `exchange: bybit`. */
  allowNonLoopback?: boolean;
  /** Optional; public data needs none. Never logged; app/config reads them from LEAKPROOF_BYBIT_API_KEY/SECRET. */
  credentials?: ExchangeCredentials;
  /** Preloaded ccxt markets: the first loadMarkets then sends no request. */
  markets?: Record<string, unknown>;
  clock?: Clock;
  /** REST retries: attempts (total), baseMs, maxMs, jitter. */
  retry?: Partial<RetryPolicy>;
  /** WS reconnect backoff (attempts is ignored: streams retry until aborted). */
  reconnect?: Partial<Omit<RetryPolicy, 'attempts'>>;
  /** Timeframes each watched symbol streams. Default ['1m']. */
  timeframes?: readonly Timeframe[];
  /** ccxt's per-request timeout, ms. Default 10000. */
  timeoutMs?: number;
  /** ccxt's own throttle. Default: on only when non-loopback is allowed (live). */
  enableRateLimit?: boolean;
  /** ccxt pro's OHLCVLimit / tradesLimit / liquidationsLimit. Default 50. */
  wsCacheLimit?: number;
  /** Depth of watched order books (1, 50, 200 or 1000 on bybit). Default 50. */
  orderBookDepth?: number;
  /** Bound on awaiting unsubscribe acknowledgements, in clock ms. Default 5000. */
  unwatchTimeoutMs?: number;
  /** Jitter source; inject for reproducible tests. */
  random?: () => number;
}

function positive(name: string, value: number): number {
  if (!(Number.isFinite(value) && value > 0)) throw new RangeError(`${name} must be a finite number > 0, got ${String(value)}`);
  return value;
}

/** A MarketSource over ccxt.pro's bybit: REST with bounded retries, WS streams that reconnect. */
export function createCcxtSource(options: CcxtSourceOptions = {}): MarketSource {
  if ((options.exchange ?? 'bybit') !== 'bybit') throw new RangeError(`exchange must be 'bybit', got ${String(options.exchange)}`);
  const clock = options.clock ?? systemClock;
  const random = options.random ?? Math.random;
  const retry = checkPolicy('retry', { ...defaultRestRetry, ...options.retry });
  const backoff = checkPolicy('reconnect', { ...defaultReconnect, ...options.reconnect, attempts: Infinity });
  const allowNonLoopback = options.allowNonLoopback ?? false;
  const stats: SourceStats = { restCalls: 0, wsMessages: 0, reconnects: 0, errorsByKind: {} };
  const countError = (error: unknown) => {
    const kind = errorKind(error);
    stats.errorsByKind[kind] = (stats.errorsByKind[kind] ?? 0) + 1;
  };

  const ex = createProExchange({
    restBaseUrl: options.restBaseUrl,
    wsUrl: options.wsUrl,
    allowNonLoopback,
    credentials: options.credentials,
    markets: options.markets,
    timeoutMs: positive('timeoutMs', options.timeoutMs ?? 10_000),
    enableRateLimit: options.enableRateLimit ?? allowNonLoopback,
    wsCacheLimit: positive('wsCacheLimit', options.wsCacheLimit ?? 50),
    onHttpRequest: () => (stats.restCalls += 1),
    onWsMessage: () => (stats.wsMessages += 1),
  });
  const watches = new Watches({
    ex,
    clock,
    backoff,
    random,
    timeframes: options.timeframes ?? ['1m'],
    orderBookDepth: positive('orderBookDepth', options.orderBookDepth ?? 50),
    unwatchTimeoutMs: positive('unwatchTimeoutMs', options.unwatchTimeoutMs ?? 5_000),
    onError: countError,
    onRecovered: () => (stats.reconnects += 1),
  });
  // ccxt caches a failed implicit loadMarkets and returns that rejection forever; an explicit reload retries it.
  const ensureMarkets = async () => {
    if (ex.markets === undefined) await ex.loadMarkets(true);
  };
  const rest = <T>(task: () => Promise<T>) =>
    withRetry(
      async () => {
        await ensureMarkets();
        return task();
      },
      { policy: retry, clock, random, isRetryable: isNetworkError, onError: countError },
    );
  // Plain ws:// needs ccxt's proxy-agent module loaded first, or ccxt throws NotSupported.
  let wsReady: Promise<void> | undefined;
  const openIntervals = ex.options['intervals'] as Record<string, string> | undefined;

  return {
    async loadSymbols() {
      const markets = await rest(() => ex.loadMarkets(true));
      return Object.values(markets)
        .filter((m) => m?.swap === true && m.linear === true && m.active !== false)
        .map((m) => m!.symbol);
    },
    fetchTicker: (symbol) => rest(async () => toTicker(await ex.fetchTicker(symbol), symbol, clock.now())),
    fetchOrderBook: (symbol, depth) => rest(async () => toBook(await ex.fetchOrderBook(symbol, depth), symbol, depth, clock.now())),
    fetchTrades: (symbol, limit) => rest(async () => (await ex.fetchTrades(symbol, undefined, limit)).map(toTrade)),
    fetchOHLCV: (symbol, timeframe, limit) => rest(async () => toCandles(await ex.fetchOHLCV(symbol, timeframe, undefined, limit))),
    fetchOpenInterest: (symbol) => rest(async () => toOpenInterest(await ex.fetchOpenInterest(symbol))),
    fetchOpenInterestHistory: (symbol, timeframe, limit) =>
      rest(async () => (await ex.fetchOpenInterestHistory(symbol, timeframe, undefined, limit)).map(toOpenInterest)),
    // ccxt sends the timeframe as Bybit's `period` verbatim; Bybit wants 5min/15min/30min/1h/4h/1d.
    fetchLongShortRatio: (symbol, timeframe, limit) =>
      rest(async () =>
        (await ex.fetchLongShortRatioHistory(symbol, timeframe, undefined, limit, { period: openIntervals?.[timeframe] ?? timeframe })).map(toLongShort),
      ),

    watch(symbol, handlers, signal) {
      if (watches.has(symbol) || signal.aborted) return;
      wsReady ??= ex.loadHttpProxyAgent().then(() => undefined);
      wsReady.then(
        () => watches.start(symbol, handlers, signal),
        (error: unknown) => countError(error),
      );
    },
    async unwatch(symbol) {
      await wsReady?.catch(() => undefined);
      await watches.stop(symbol);
    },
    clientCacheEntries: (symbol) => countProEntries(ex as unknown as ProState, symbol),
    stats: () => ({ ...stats, errorsByKind: { ...stats.errorsByKind } }),
    async close() {
      await wsReady?.catch(() => undefined);
      await watches.stopAll();
      await ex.close();
    },
  };
}
