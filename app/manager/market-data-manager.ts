import { setMaxListeners } from 'node:events';
import { performance } from 'node:perf_hooks';
import type { BoundedList } from '../caches/bounded-list.ts';
import { ohlcvLimitFor } from '../caches/ohlcv-limits.ts';
import { createOhlcvRing } from '../caches/ohlcv-ring.ts';
import type { OhlcvStore, OhlcvStoreFactory } from '../caches/ohlcv-store.ts';
import { DROP_REASONS, timeframeMs, validateCandles } from '../caches/validate-candles.ts';
import type { ServiceConfig } from '../config/config-schema.ts';
import { systemClock, type Clock } from '../core/clock.ts';
import { errorKind } from '../core/error-kind.ts';
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
import type { MarketSource } from '../exchange/market-source.ts';
import type { CleanupResult } from './cleanup-result.ts';
import { appendNewer, gapFetchSize, listFor, mergeByKey, ohlcvKey, symbolOfKey, timeframeOfKey, totalSize } from './manager-store.ts';
import { processMemoryProbe, type MemoryProbe } from './memory-probe.ts';
import { buildRefreshJobs } from './refresh-jobs.ts';
import { RefreshScheduler, type JobLagStats } from './refresh-scheduler.ts';
import { Universe, type ManagerLog } from './universe.ts';

export type ManagerConfig = Pick<ServiceConfig, 'symbols' | 'topN' | 'universe' | 'shard' | 'timeframes' | 'refresh' | 'limits'>;

export interface MarketDataManagerOptions {
  source: MarketSource;
  config: ManagerConfig;
  clock?: Clock;
  log?: ManagerLog;
  /** Builds the store of a key not yet cached, from already-trimmed rows; QA injects a naive one. */
  createOhlcvStore?: OhlcvStoreFactory;
  memory?: MemoryProbe;
  /** Told about every cleanup result (metrics); the manager keeps the last one for /status. */
  onCleanup?: (result: CleanupResult) => void;
}

/** A trade's identity: the exchange's id, or, without one, everything the print says. */
const tradeKey = (t: TradePrint) => t.id ?? `${t.timestamp}|${t.price}|${t.amount}|${t.side}`;

const sameTrade = (a: TradePrint, b: TradePrint) =>
  a.id !== undefined && b.id !== undefined ? a.id === b.id : a.price === b.price && a.amount === b.amount && a.side === b.side;

/**
 * The market data cache: every per-symbol structure is bounded on write, re-bounded by the cleanup
 * (after a limit shrinks), and evicted when its symbol leaves the tracked universe.
 */
export class MarketDataManager {
  /** Refresh loops run while this is true. The memory cleanup deliberately does not read it. */
  monitoring = false;
  lastCleanup: CleanupResult | undefined;

  readonly ohlcv = new Map<string, OhlcvStore>();
  /** Symbol and timeframe of each OHLCV key, parsed once at first insert so a cleanup allocates nothing. */
  private readonly ohlcvKeyParts = new Map<string, { symbol: string; timeframe: Timeframe }>();
  readonly tickers = new Map<string, TickerSnapshot>();
  readonly orderBooks = new Map<string, OrderBookSnapshot>();
  readonly trades = new Map<string, BoundedList<TradePrint>>();
  readonly openInterest = new Map<string, OpenInterestPoint>();
  readonly openInterestHistory = new Map<string, BoundedList<OpenInterestPoint>>();
  readonly longShortRatio = new Map<string, BoundedList<LongShortRatioPoint>>();
  readonly liquidations = new Map<string, BoundedList<LiquidationPrint>>();
  /** Drops and failures the manager counted itself, by kind. */
  readonly errors: Record<string, number> = {};

  private config: ManagerConfig;
  private readonly source: MarketSource;
  private readonly clock: Clock;
  private readonly createOhlcvStore: OhlcvStoreFactory;
  private readonly memory: MemoryProbe;
  private readonly onCleanup: ((r: CleanupResult) => void) | undefined;
  private readonly log: ManagerLog | undefined;
  private readonly universe: Universe;
  private readonly lifetime = new AbortController();
  private scheduler: RefreshScheduler | undefined;
  private rotation: Promise<void> = Promise.resolve();

  constructor(o: MarketDataManagerOptions) {
    // One sleep listener per refresh job plus the rotation: more than Node's default warning at 10.
    setMaxListeners(64, this.lifetime.signal);
    this.source = o.source;
    this.config = o.config;
    this.clock = o.clock ?? systemClock;
    this.createOhlcvStore = o.createOhlcvStore ?? createOhlcvRing;
    this.memory = o.memory ?? processMemoryProbe();
    this.onCleanup = o.onCleanup;
    this.log = o.log;
    this.universe = new Universe({
      source: o.source,
      clock: this.clock,
      log: o.log,
      signal: this.lifetime.signal,
      handlers: (symbol) => this.streamHandlers(symbol),
      countError: (kind) => this.countError(kind),
    });
  }

  /** Resolves the universe, subscribes, and starts each component's refresh loop. */
  async start(): Promise<void> {
    this.monitoring = true;
    await this.universe.refresh(this.config);
    this.scheduler = new RefreshScheduler({
      clock: this.clock,
      concurrency: this.config.refresh.concurrency,
      signal: this.lifetime.signal,
      symbols: () => this.universe.symbols(),
      running: () => this.monitoring,
      onError: (job, symbol, err) => {
        this.countError(`${job}:${errorKind(err)}`);
        this.log?.warn({ err, job, symbol }, `Refresh ${job} failed for ${symbol}; the other symbols go on`);
      },
    });
    this.scheduler.start(buildRefreshJobs(this.source, this, this.config));
    this.rotation = this.universe.rotate(() => this.config, () => this.monitoring);
  }

  /** Stops loops and streams; the source itself is closed by whoever created it. */
  async stop(): Promise<void> {
    this.monitoring = false;
    this.lifetime.abort();
    this.universe.stopAll();
    await Promise.all([this.scheduler?.settled(), this.rotation]);
  }

  /** Each refresh job's lag behind its interval (empty before start): for /status and /metrics. */
  refreshLag(): JobLagStats[] {
    return this.scheduler?.lagStats() ?? [];
  }

  /** Initial data loaded: a resolved universe (this shard's part may be empty) and one pass of every refresh job over it. */
  get ready(): boolean {
    return this.universe.isResolved && (this.scheduler?.initialPassDone ?? false);
  }

  /** A config reload: shrunk limits take effect at the next write or cleanup, the universe at once. */
  reconfigure(config: ManagerConfig): void {
    this.config = config;
  }

  setTrackedSymbols(symbols: readonly string[]): void {
    this.universe.track(symbols);
  }

  isTracked(symbol: string): boolean {
    return this.universe.has(symbol);
  }

  trackedSymbols(): readonly string[] {
    return this.universe.symbols();
  }

  ohlcvLimit(timeframe: Timeframe): number {
    return ohlcvLimitFor(timeframe, this.config.limits.ohlcv);
  }

  /**
   * Candles to request, at most `pageMax`: a full page until the key holds one (WS pushes may have
   * created it with a few candles), then only the gap since the newest cached candle.
   */
  ohlcvFetchSize(symbol: string, timeframe: Timeframe, pageMax: number): number {
    const store = this.ohlcv.get(ohlcvKey(symbol, timeframe));
    const held = store && { size: store.size, newest: store.last()?.[0] };
    return gapFetchSize(held, Math.min(this.ohlcvLimit(timeframe), pageMax), timeframeMs(timeframe), this.clock.now());
  }

  /** Open-interest or ratio points to request, at most `max`: the configured bound until held, then the gap. */
  historyFetchSize(kind: 'openInterestHistory' | 'longShortRatio', symbol: string, timeframe: Timeframe, max: number): number {
    const list = this[kind].get(symbol);
    const held = list && { size: list.size, newest: list.last()?.timestamp };
    const limit = kind === 'openInterestHistory' ? this.config.limits.oiHistory : this.config.limits.longShortRatio;
    return gapFetchSize(held, Math.min(limit, max), timeframeMs(timeframe), this.clock.now());
  }

  /** Validates, then merges into the bounded store; returns how many candles changed the cache. */
  storeOhlcv(symbol: string, timeframe: Timeframe, rows: readonly Candle[]): number {
    // Validated in place of the raw rows, so that nothing below can reach an unvalidated row.
    rows = this.validCandles(timeframe, rows);
    if (rows.length === 0) return 0;
    const key = ohlcvKey(symbol, timeframe);
    if (!this.ohlcv.has(key)) {
      const limit = this.ohlcvLimit(timeframe);
      const trimmed = rows.slice(-limit);
      this.ohlcv.set(key, this.createOhlcvStore(trimmed, limit));
      this.ohlcvKeyParts.set(key, { symbol, timeframe });
      return trimmed.length;
    }
    const store = this.ohlcv.get(key)!;
    const changed = store.appendMany(rows);
    store.trimTo(this.ohlcvLimit(timeframe));
    return changed;
  }

  storeOpenInterestHistory(symbol: string, rows: readonly OpenInterestPoint[]): number {
    const limit = this.config.limits.oiHistory;
    const list = listFor(this.openInterestHistory, symbol, limit);
    const appended = appendNewer(list, rows.filter((p) => Number.isFinite(p.openInterestAmount)));
    list.trimTo(limit);
    return appended;
  }

  storeTrades(symbol: string, rows: readonly TradePrint[]): number {
    const limit = this.config.limits.trades;
    const list = listFor(this.trades, symbol, limit);
    const appended = mergeByKey(list, rows.filter(isFinitePrint), tradeKey, limit);
    list.trimTo(limit);
    return appended;
  }

  storeLiquidations(symbol: string, rows: readonly LiquidationPrint[]): number {
    const limit = this.config.limits.liquidations;
    const list = listFor(this.liquidations, symbol, limit);
    const appended = appendNewer(list, rows.filter(isFinitePrint), sameTrade);
    list.trimTo(limit);
    return appended;
  }

  storeLongShortRatio(symbol: string, rows: readonly LongShortRatioPoint[]): number {
    const limit = this.config.limits.longShortRatio;
    const list = listFor(this.longShortRatio, symbol, limit);
    const appended = appendNewer(list, rows.filter((p) => Number.isFinite(p.longShortRatio)));
    list.trimTo(limit);
    return appended;
  }

  storeTicker(ticker: TickerSnapshot): void {
    if (Number.isFinite(ticker.last)) this.tickers.set(ticker.symbol, ticker);
    else this.countError('invalid:ticker');
  }

  /** Under `symbol` (default: the book's own). A book its source already bounds at this depth is kept as it is. */
  storeOrderBook(book: OrderBookSnapshot, symbol = book.symbol): void {
    const depth = this.config.limits.orderbookDepth;
    const bounded = book.boundedAt !== undefined && book.boundedAt <= depth && book.symbol === symbol;
    this.orderBooks.set(symbol, bounded ? book : { symbol, timestamp: book.timestamp, bids: book.bids.slice(0, depth), asks: book.asks.slice(0, depth) });
  }

  storeOpenInterest(symbol: string, point: OpenInterestPoint): void {
    if (Number.isFinite(point.openInterestAmount)) this.openInterest.set(symbol, point);
    else this.countError('invalid:openInterest');
  }

  /**
   * Enforces every bound and evicts symbols that left the universe, synchronously; then gc when the
   * process exposes it. `durationMs` excludes gc, which is timed apart as `gcMs`.
   */
  runMemoryCleanupSync(): CleanupResult {
    const memoryBeforeMb = this.memory.rssMb();
    const started = performance.now();
    const limits = this.config.limits;

    let ohlcvTrimmed = 0;
    this.ohlcv.forEach((store, key) => {
      const timeframe = this.ohlcvKeyParts.get(key)?.timeframe ?? timeframeOfKey(key);
      if (store.trimTo(this.ohlcvLimit(timeframe)) > 0) ohlcvTrimmed++;
    });
    let oiTrimmed = 0;
    this.openInterestHistory.forEach((list) => {
      if (list.trimTo(limits.oiHistory) > 0) oiTrimmed++;
    });
    this.trades.forEach((list) => list.trimTo(limits.trades));
    this.liquidations.forEach((list) => list.trimTo(limits.liquidations));
    this.longShortRatio.forEach((list) => list.trimTo(limits.longShortRatio));
    const evicted = this.evictUntracked();
    const durationMs = performance.now() - started;

    let gcMs = 0;
    const gc = this.memory.gc;
    if (gc) {
      const gcStarted = performance.now();
      gc();
      gcMs = performance.now() - gcStarted;
    }
    const result: CleanupResult = {
      ohlcvTrimmed,
      oiTrimmed,
      evicted,
      gcRan: gc !== undefined,
      memoryBeforeMb,
      memoryAfterMb: this.memory.rssMb(),
      durationMs,
      gcMs,
    };
    this.lastCleanup = result;
    this.onCleanup?.(result);
    return result;
  }

  /** Entries held per component (candles, prints and points count one each). */
  cacheEntries(): Record<string, number> {
    return {
      ticker: this.tickers.size,
      orderbook: this.orderBooks.size,
      trades: totalSize(this.trades),
      ohlcvKeys: this.ohlcv.size,
      ohlcv: totalSize(this.ohlcv),
      openInterest: this.openInterest.size,
      openInterestHistory: totalSize(this.openInterestHistory),
      longShortRatio: totalSize(this.longShortRatio),
      liquidations: totalSize(this.liquidations),
    };
  }

  candlesRetained(): number {
    return totalSize(this.ohlcv);
  }

  candleBytes(): number {
    let bytes = 0;
    for (const store of this.ohlcv.values()) bytes += store.bytes;
    return bytes;
  }

  /** Settles when every unwatch started by evictions so far has finished. */
  whenUnwatched(): Promise<void> {
    return this.universe.whenUnwatched();
  }

  private evictUntracked(): number {
    const perSymbol = [this.tickers, this.orderBooks, this.trades, this.openInterest, this.openInterestHistory, this.longShortRatio, this.liquidations];
    let gone: Set<string> | undefined;
    const check = (symbol: string) => {
      if (!this.universe.has(symbol)) (gone ??= new Set()).add(symbol);
    };
    this.ohlcv.forEach((_store, key) => check(this.ohlcvKeyParts.get(key)?.symbol ?? symbolOfKey(key)));
    for (const map of perSymbol) map.forEach((_v, symbol) => check(symbol));
    for (const symbol of this.universe.droppedSinceLastEviction()) check(symbol);
    if (gone === undefined) return 0;
    for (const key of this.ohlcv.keys()) {
      if (gone.has(this.ohlcvKeyParts.get(key)?.symbol ?? symbolOfKey(key))) {
        this.ohlcv.delete(key);
        this.ohlcvKeyParts.delete(key);
      }
    }
    for (const symbol of gone) {
      for (const map of perSymbol) map.delete(symbol);
      this.universe.release(symbol);
    }
    return gone.size;
  }

  private validCandles(timeframe: Timeframe, rows: readonly Candle[]): Candle[] {
    const { rows: valid, dropped } = validateCandles(rows, timeframe, this.clock.now());
    for (const reason of DROP_REASONS) if (dropped[reason] > 0) this.countError(`invalid:ohlcv:${reason}`, dropped[reason]);
    return valid;
  }

  private streamHandlers(symbol: string) {
    const tracked = () => this.universe.has(symbol);
    const guard = (fn: () => void) => {
      if (!tracked()) return;
      try {
        fn();
      } catch (err) {
        this.countError(`handler:${errorKind(err)}`);
      }
    };
    return {
      onCandles: (tf: Timeframe, rows: Candle[]) => guard(() => this.storeOhlcv(symbol, tf, rows)),
      onTicker: (t: TickerSnapshot) => guard(() => this.storeTicker({ ...t, symbol })),
      onTrades: (rows: TradePrint[]) => guard(() => this.storeTrades(symbol, rows)),
      onOrderBook: (b: OrderBookSnapshot) => guard(() => this.storeOrderBook(b, symbol)),
      onLiquidations: (rows: LiquidationPrint[]) => guard(() => this.storeLiquidations(symbol, rows)),
    };
  }

  private countError(kind: string, n = 1): void {
    this.errors[kind] = (this.errors[kind] ?? 0) + n;
  }
}

const isFinitePrint = (p: { price: number; amount: number; timestamp: number }) =>
  Number.isFinite(p.price) && Number.isFinite(p.amount) && p.amount >= 0 && Number.isFinite(p.timestamp);
