import { systemClock, type Clock } from '../core/clock.ts';
import type { Timeframe } from '../core/market-types.ts';
import { createProExchange, isNetworkError, isRefusal, type ExchangeCredentials } from './ccxt-instance.ts';
import { BOOK_DEPTHS, bookDepthMessage } from './book-depths.ts';
import { checkResyncPolicy, defaultResync, defaultRevive, type ResyncPolicy } from './book-sequence.ts';
import { INSTRUMENTS_PAGE, statusesFromPage } from './instrument-status.ts';
import { TopicHealth } from './topic-health.ts';
import { ccxtBookDepths } from './book-depths-ccxt.ts';
import { toBook, toCandles, toLongShort, toOpenInterest, toTicker, toTrade, toTurnovers } from './ccxt-convert.ts';
import { Watches } from './ccxt-watch.ts';
import { tapDeliveries } from './delivery-tap.ts';
import { oiHistoryArgs, RATIO_PAGE_MAX } from './history-pages.ts';
import type { MarketSource, SourceStats } from './market-source.ts';
import { countProClientState, countProEntries } from './pro-client-state.ts';
import type { PausePolicy } from './rest-breaker.ts';
import { classifyRestError } from './rest-fault-policy.ts';
import { pauseLine } from './rest-pause-lines.ts';
import { checkPausePolicy, RestGate } from './rest-gate.ts';
import { errorKind } from '../core/error-kind.ts';
import { checkPolicy, defaultReconnect, defaultRestRetry, withRetry, type RetryPolicy } from './retry.ts';

/** ccxt pro's own per-symbol cache bound: the manager keeps the real caches, so ccxt's stay small. */
export const DEFAULT_WS_CACHE_LIMIT = 50;

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
  /** ccxt's own throttle. Default: on when live or when `callsPerSecond` is set. */
  enableRateLimit?: boolean;
  /**
   * The REST budget, in calls per second of `clock` (Bybit's public market data through ccxt: 10).
   * ccxt's throttle enforces it; `clockSpeed` (the SimClock's speed) scales it to real time.
   * Default: ccxt's own bybit rate.
   */
  callsPerSecond?: number;
  clockSpeed?: number;
  /** The global pause on an IP ban (403) or an API limit (10006), in `clock` ms. */
  restPause?: Partial<PausePolicy>;
  /** Pause transitions are logged here, once each. */
  log?: { warn(message: string): void; info(message: string): void };
  /** ccxt pro's OHLCVLimit / tradesLimit / liquidationsLimit. Default DEFAULT_WS_CACHE_LIMIT. */
  wsCacheLimit?: number;
  /** Depth of watched order books (1, 50, 200 or 1000 on bybit). Default 50. */
  orderBookDepth?: number;
  /** Bound on awaiting unsubscribe acknowledgements, in clock ms. Default 5000. */
  unwatchTimeoutMs?: number;
  /** Jitter source; inject for reproducible tests. */
  random?: () => number;
  /** A book's resubscribe after a sequence gap: its deadline, and the retries before the topic is dropped. */
  resync?: Partial<Omit<ResyncPolicy, 'retry' | 'revive'>> & { retry?: Partial<RetryPolicy> };
  /** Consecutive refused subscribes of one stream before it is dropped. Default 5. */
  maxRefusals?: number;
  /** The wait before a dropped stream or book is tried again (attempts is ignored). Default defaultRevive. */
  revive?: Partial<Omit<RetryPolicy, 'attempts'>>;
}

/** Bybit's IP ban lasts at least 10 minutes; probes then back off from 30 s to 10 min. */
export const defaultRestPause: PausePolicy = { banMs: 600_000, probeMs: 30_000, maxProbeMs: 600_000, maxResetWaitMs: 60_000, resetFallbackMs: 1_000 };
/** Bybit's finest open-interest bucket (`intervalTime`). */
const FINEST_OI_BUCKET = '5min';
/** ccxt's cost of every bybit v5/market endpoint; its throttle spends `rateLimit` ms per unit. */
const MARKET_ENDPOINT_COST = 5;


function bookDepth(depth: number): number {
  if (!BOOK_DEPTHS.includes(depth)) throw new RangeError(`orderBookDepth ${bookDepthMessage(BOOK_DEPTHS)}, got ${depth}`);
  return depth;
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
  const countKind = (kind: string) => (stats.errorsByKind[kind] = (stats.errorsByKind[kind] ?? 0) + 1);
  const countError = (error: unknown) => countKind(errorKind(error));

  const callsPerSecond = options.callsPerSecond === undefined ? undefined : positive('callsPerSecond', options.callsPerSecond);
  const clockSpeed = positive('clockSpeed', options.clockSpeed ?? 1);
  const lifetime = new AbortController();
  const health = new TopicHealth();
  const revive = checkPolicy('revive', { ...defaultRevive, ...options.revive, attempts: Infinity });
  const resync = checkResyncPolicy({ ...defaultResync, ...options.resync, retry: { ...defaultResync.retry, ...options.resync?.retry }, revive });
  const gate = new RestGate({
    clock,
    policy: checkPausePolicy({ ...defaultRestPause, ...options.restPause }),
    signal: lifetime.signal,
    onChange: (now, before) => {
      const line = pauseLine(now, before);
      if (line) options.log?.[line.level](line.text);
    },
  });
  const ex = createProExchange({
    restBaseUrl: options.restBaseUrl,
    wsUrl: options.wsUrl,
    allowNonLoopback,
    credentials: options.credentials,
    markets: options.markets,
    timeoutMs: positive('timeoutMs', options.timeoutMs ?? 10_000),
    enableRateLimit: options.enableRateLimit ?? (allowNonLoopback || callsPerSecond !== undefined),
    rateLimitMs: callsPerSecond === undefined ? undefined : 1000 / (callsPerSecond * MARKET_ENDPOINT_COST) / clockSpeed,
    wsCacheLimit: positive('wsCacheLimit', options.wsCacheLimit ?? DEFAULT_WS_CACHE_LIMIT),
    onHttpRequest: () => (stats.restCalls += 1),
    onWsMessage: () => (stats.wsMessages += 1),
    // Each shows in /metrics as leakproof_errors_total{kind="orderbook:gap"}, "orderbook:refused", ...
    bookGuard: { clock, random, policy: resync, health, signal: lifetime.signal, onEvent: (event) => countKind(`orderbook:${event}`) },
  });
  const watches = new Watches({
    ex,
    tap: tapDeliveries(ex),
    clock,
    backoff,
    random,
    timeframes: options.timeframes ?? ['1m'],
    orderBookDepth: bookDepth(options.orderBookDepth ?? 50),
    unwatchTimeoutMs: positive('unwatchTimeoutMs', options.unwatchTimeoutMs ?? 5_000),
    onError: countError,
    onRecovered: () => (stats.reconnects += 1),
    health,
    isRefusal,
    maxRefusals: positive('maxRefusals', options.maxRefusals ?? 5),
    revive,
    onDropped: () => countKind('subscribe:dropped'),
    onRevived: () => countKind('subscribe:revived'),
  });
  // ccxt caches a failed implicit loadMarkets and returns that rejection forever; an explicit reload retries it.
  const ensureMarkets = async () => {
    if (ex.markets === undefined) await ex.loadMarkets(true);
  };
  const classify = (error: unknown) => classifyRestError(error, isNetworkError);
  // Each attempt passes the gate, so during a pause no job sends anything; 10016 counts as transient.
  const rest = <T>(task: () => Promise<T>) =>
    withRetry(
      () =>
        gate.run(async () => {
          await ensureMarkets();
          return task();
        }, classify),
      { policy: retry, clock, random, isRetryable: (e) => classify(e).kind !== 'fatal', onError: countError, signal: lifetime.signal },
    );
  // The pinned list in book-depths.ts is ccxt 4.5.84's; ccxt's own list, read at run time, has the last word.
  const checkDepthWithCcxt = async () => {
    const accepted = await ccxtBookDepths();
    const depth = options.orderBookDepth ?? 50;
    if (accepted !== undefined && !accepted.includes(depth)) {
      countKind('orderbook:depth');
      options.log?.warn(`orderBookDepth ${depth} is not among ccxt's WS book depths ${accepted.join(', ')}: the WS book cannot subscribe, only the REST refresh will run`);
    }
  };
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
    fetchTurnovers: () => rest(async () => toTurnovers(await ex.fetchTickers())),
    fetchTradingStatus: (symbols) =>
      rest(async () => {
        const ids = new Map(symbols.flatMap((s) => watches.names(s).slice(1).map((id) => [s, id] as const)));
        return statusesFromPage(await ex.publicGetV5MarketInstrumentsInfo({ category: 'linear', limit: INSTRUMENTS_PAGE }), ids);
      }),
    fetchTicker: (symbol) => rest(async () => toTicker(await ex.fetchTicker(symbol), symbol, clock.now())),
    fetchOrderBook: (symbol, depth) => rest(async () => toBook(await ex.fetchOrderBook(symbol, depth), symbol, depth, clock.now())),
    fetchTrades: (symbol, limit) => rest(async () => (await ex.fetchTrades(symbol, undefined, limit)).map(toTrade)),
    fetchOHLCV: (symbol, timeframe, limit) => rest(async () => toCandles(await ex.fetchOHLCV(symbol, timeframe, undefined, limit))),
    // ccxt asks for hourly buckets and every point of the page: the newest 5-min bucket is all the cache needs.
    fetchOpenInterest: (symbol) => rest(async () => toOpenInterest(await ex.fetchOpenInterest(symbol, { intervalTime: FINEST_OI_BUCKET, limit: 1 }))),
    fetchOpenInterestHistory: (symbol, timeframe, limit) =>
      rest(async () => {
        const a = oiHistoryArgs(ex.parseTimeframe(timeframe) * 1000, limit, clock.now());
        // ccxt's paginator returns newest first, its single page oldest first: ascending either way.
        return (await ex.fetchOpenInterestHistory(symbol, timeframe, a.since, a.limit, a.params)).map(toOpenInterest).sort((x, y) => x.timestamp - y.timestamp);
      }),
    // ccxt sends the timeframe as Bybit's `period` verbatim; Bybit wants 5min/15min/30min/1h/4h/1d. ccxt
    // does not page this endpoint (it drops nextPageCursor): one page, at most Bybit's 500 rows.
    fetchLongShortRatio: (symbol, timeframe, limit) =>
      rest(async () =>
        (await ex.fetchLongShortRatioHistory(symbol, timeframe, undefined, Math.min(limit, RATIO_PAGE_MAX), { period: openIntervals?.[timeframe] ?? timeframe })).map(toLongShort),
      ),

    watch(symbol, handlers, signal) {
      if (watches.has(symbol) || signal.aborted) return;
      wsReady ??= Promise.all([ex.loadHttpProxyAgent(), checkDepthWithCcxt()]).then(() => undefined);
      wsReady.then(
        () => watches.start(symbol, handlers, signal),
        (error: unknown) => countError(error),
      );
    },
    async unwatch(symbol) {
      await wsReady?.catch(() => undefined);
      await watches.stop(symbol);
    },
    clientCacheEntries: (symbol) => countProEntries(ex, watches.names(symbol)),
    clientState: () => countProClientState(ex),
    stats: () => ({ ...stats, errorsByKind: { ...stats.errorsByKind }, restPause: gate.current() ?? null, restPauses: { ...gate.pauses }, topics: health.snapshot() }),
    async close() {
      lifetime.abort();
      await wsReady?.catch(() => undefined);
      await watches.stopAll();
      await ex.close();
    },
  };
}
