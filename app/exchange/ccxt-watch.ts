import { setMaxListeners } from 'node:events';
import type { Clock } from '../core/clock.ts';
import type { Timeframe } from '../core/market-types.ts';
import type { StreamHandlers } from './market-source.ts';
import type { ProExchange } from './ccxt-instance.ts';
import { toCandles, toLiquidation, toTicker, toTrade, type CcxtBook } from './ccxt-convert.ts';
import { LiveOrderBook } from './live-order-book.ts';
import type { DeliveryTap } from './delivery-tap.ts';
import { purgeProEntries } from './pro-cache.ts';
import { symbolOfHash } from './pro-client-state.ts';
import type { RetryPolicy } from './retry.ts';
import { streamLoop } from './stream-loop.ts';
import type { TopicHealth } from './topic-health.ts';
import { bookUpdate, liquidationsUpdate, ohlcvUpdate, tickerUpdate, tradesUpdate } from './tap-updates.ts';
import { messageHash, unwatchRequests, type WatchedTopics } from './unwatch-requests.ts';

export interface WatchDeps {
  ex: ProExchange;
  /** Installed on `ex` (delivery-tap.ts): the streams take every message from it. */
  tap: DeliveryTap;
  clock: Clock;
  backoff: RetryPolicy;
  random: () => number;
  timeframes: readonly Timeframe[];
  orderBookDepth: number;
  /** Upper bound on waiting for an unsubscribe acknowledgement, in clock ms. */
  unwatchTimeoutMs: number;
  onError(error: unknown): void;
  onRecovered(): void;
  /** Where streams given up on are listed (and forgotten when their symbol is unwatched). */
  health: TopicHealth;
  isRefusal(error: unknown): boolean;
  maxRefusals: number;
  /** The wait before a stream given up on is tried again (stream-loop.ts). */
  revive: RetryPolicy;
  /** Counts a stream given up on, by ccxt's message hash. */
  onDropped(hash: string): void;
  /** Counts a stream given up on that works again. */
  onRevived(hash: string): void;
}

interface Watched {
  controller: AbortController;
  outer: AbortSignal;
  loops: Array<Promise<void>>;
  liquidations: boolean;
  /** Captured while the symbol is listed: the unsubscribe must not need the market table. */
  topics: WatchedTopics | undefined;
}

/** Bound on the ids kept for symbols already stopped. */
const STOPPED_IDS_KEPT = 1024;

/** The pro streams of each watched symbol, and their teardown. */
export class Watches {
  private readonly bySymbol = new Map<string, Watched>();
  /** One listener per caller signal, however many symbols share it (200 would trip Node's leak warning). */
  private readonly byOuter = new Map<AbortSignal, { symbols: Set<string>; onAbort: () => void }>();
  /** Exchange ids of recently stopped symbols, whose market may be gone: a later count still finds their entries. */
  private readonly stoppedIds = new Map<string, string>();

  constructor(private readonly d: WatchDeps) {}

  has(symbol: string): boolean {
    return this.bySymbol.has(symbol);
  }

  /** Every name ccxt may file the symbol's state under: the unified symbol and its exchange id, when known. */
  names(symbol: string): string[] {
    const id = this.bySymbol.get(symbol)?.topics?.marketId ?? this.d.ex.markets?.[symbol]?.id ?? this.stoppedIds.get(symbol);
    return id === undefined || id === symbol ? [symbol] : [symbol, id];
  }

  private purge(symbol: string): void {
    const names = this.names(symbol);
    const id = names[1];
    if (id !== undefined) {
      this.stoppedIds.delete(symbol);
      this.stoppedIds.set(symbol, id);
      for (const old of this.stoppedIds.keys()) {
        if (this.stoppedIds.size <= STOPPED_IDS_KEPT) break;
        this.stoppedIds.delete(old);
      }
    }
    purgeProEntries(this.d.ex, names);
    this.d.health.forget(names);
  }

  start(symbol: string, h: StreamHandlers, signal: AbortSignal): void {
    if (this.bySymbol.has(symbol) || signal.aborted) return;
    const { ex, clock } = this.d;
    const controller = new AbortController();
    // Every stream loop of the symbol waits on this signal: timeframes + 5 may exceed the default 10.
    setMaxListeners(64, controller.signal);
    this.attach(signal, symbol);
    const onLiquidations = h.onLiquidations?.bind(h);
    const liquidations = onLiquidations !== undefined && ex.has['watchLiquidations'] === true;
    const w: Watched = { controller, outer: signal, loops: [], liquidations, topics: undefined };
    this.capture(w, symbol);
    // Each (re)subscription captures the ids if the markets were not loaded when the watch started.
    const subscribe = (watch: () => Promise<unknown>) => () => {
      if (w.topics === undefined) this.capture(w, symbol);
      return watch();
    };
    const { tap, backoff, random, onError, onRecovered, isRefusal, maxRefusals, revive, health } = this.d;
    const deps = (hash: string) => ({
      clock,
      signal: controller.signal,
      tap,
      backoff,
      random,
      onError,
      onRecovered,
      isRefusal,
      maxRefusals,
      revive,
      onDropped: (_error: unknown, drop: { refusals: number; drops: number; at: number; retryAt: number }) => {
        health.drop({ topic: hash, symbol, reason: 'refused', attempts: drop.refusals, at: drop.at, drops: drop.drops, retryAt: drop.retryAt });
        this.d.onDropped(hash);
      },
      onRevived: () => {
        if (health.recover(hash)) this.d.onRevived(hash);
      },
    });
    const stream = (hash: string, watch: () => Promise<unknown>, deliver: (value: unknown) => void) => streamLoop(hash, subscribe(watch), deliver, deps(hash));
    const depth = this.d.orderBookDepth;
    // ccxt keeps one book object per symbol and applies every push to it: one view, made again only when
    // ccxt replaced the object (after a purge and a new subscription).
    let book: LiveOrderBook | undefined;
    const liveBook = (b: CcxtBook) => (book?.source === b ? book : (book = new LiveOrderBook(b, symbol, depth, () => clock.now())));
    w.loops.push(
      ...this.d.timeframes.map((tf) =>
        stream(messageHash.ohlcv(symbol, tf), () => ex.watchOHLCV(symbol, tf), (v) => h.onCandles(tf, toCandles(ohlcvUpdate(v, symbol)))),
      ),
      stream(messageHash.ticker(symbol), () => ex.watchTicker(symbol), (v) => h.onTicker(toTicker(tickerUpdate(v), symbol, clock.now()))),
      stream(messageHash.trades(symbol), () => ex.watchTrades(symbol), (v) => h.onTrades(tradesUpdate(v, symbol).map(toTrade))),
      stream(messageHash.orderbook(symbol), () => ex.watchOrderBook(symbol, depth), (v) => h.onOrderBook(liveBook(bookUpdate(v)))),
    );
    if (onLiquidations && liquidations) {
      w.loops.push(stream(messageHash.liquidations(symbol), () => ex.watchLiquidations(symbol), (v) => onLiquidations(liquidationsUpdate(v).map(toLiquidation))));
    }
    this.bySymbol.set(symbol, w);
  }

  private capture(w: Watched, symbol: string): void {
    const { ex } = this.d;
    const marketId = ex.markets?.[symbol]?.id;
    if (marketId === undefined) return;
    const timeframes = this.d.timeframes.map((tf) => [tf, String(ex.timeframes[tf] ?? tf)] as const);
    w.topics = { symbol, marketId, timeframes, orderBookDepth: this.d.orderBookDepth, liquidations: w.liquidations };
  }

  private attach(signal: AbortSignal, symbol: string): void {
    let entry = this.byOuter.get(signal);
    if (!entry) {
      const symbols = new Set<string>();
      const onAbort = () => {
        this.byOuter.delete(signal);
        for (const s of symbols) this.bySymbol.get(s)?.controller.abort(signal.reason);
      };
      entry = { symbols, onAbort };
      this.byOuter.set(signal, entry);
      signal.addEventListener('abort', onAbort, { once: true });
    }
    entry.symbols.add(symbol);
  }

  private detach(w: Watched, symbol: string): void {
    const entry = this.byOuter.get(w.outer);
    if (!entry) return;
    entry.symbols.delete(symbol);
    if (entry.symbols.size > 0) return;
    w.outer.removeEventListener('abort', entry.onAbort);
    this.byOuter.delete(w.outer);
  }

  /**
   * Stops the loops, unsubscribes with the ids captured at subscribe time, and purges ccxt's state of
   * the symbol, whether or not it is still listed. Never rejects.
   */
  async stop(symbol: string): Promise<void> {
    const w = this.bySymbol.get(symbol);
    if (w) {
      this.bySymbol.delete(symbol);
      this.detach(w, symbol);
      w.controller.abort(new Error(`unwatch ${symbol}`));
      await Promise.all(w.loops);
      if (w.topics === undefined) this.capture(w, symbol);
      if (w.topics) {
        this.stoppedIds.set(symbol, w.topics.marketId);
        const { late } = await this.unsubscribe(w.topics);
        // Pushes sent before the server took the unsubscribe arrive before its ack, and ccxt files
        // them after this purge: purge once more when the acks come, unless the symbol is back.
        void late?.then(() => {
          if (!this.bySymbol.has(symbol)) this.purge(symbol);
        });
      }
    }
    this.purge(symbol);
  }

  async stopAll(): Promise<void> {
    const symbols = [...this.bySymbol.keys()];
    for (const [symbol, w] of this.bySymbol) {
      this.detach(w, symbol);
      w.controller.abort(new Error('source closed'));
    }
    await Promise.all([...this.bySymbol.values()].flatMap((w) => w.loops));
    for (const symbol of symbols) this.purge(symbol);
    this.bySymbol.clear();
  }

  /**
   * Sends each unsubscribe on every connection that holds the symbol; waits for the acks, bounded.
   * Returns the acks still outstanding when the bound ran out, if any.
   */
  private async unsubscribe(topics: WatchedTopics): Promise<{ late: Promise<unknown> | undefined }> {
    const { ex } = this.d;
    const requests = unwatchRequests(topics);
    const calls = Object.values(ex.clients)
      .filter((client) => Object.keys(client.subscriptions).some((hash) => symbolOfHash(hash) === topics.symbol))
      .flatMap((client) =>
        requests.map((r) => ex.unWatchTopics(client.url, r.kind, [topics.symbol], r.unsubHashes, r.subHashes, r.topics, {}, r.extension)),
      );
    if (calls.length === 0) return { late: undefined };
    let acked = false;
    const settled = Promise.allSettled(calls).then(() => (acked = true));
    const timeout = new AbortController();
    await Promise.race([settled, this.d.clock.sleep(this.d.unwatchTimeoutMs, timeout.signal).catch(() => undefined)]);
    timeout.abort();
    return { late: acked ? undefined : settled };
  }
}
