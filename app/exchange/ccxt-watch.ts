import { setMaxListeners } from 'node:events';
import type { Clock } from '../core/clock.ts';
import type { Timeframe } from '../core/market-types.ts';
import type { StreamHandlers } from './market-source.ts';
import type { ProExchange } from './ccxt-instance.ts';
import { toBook, toCandles, toLiquidation, toTicker, toTrade } from './ccxt-convert.ts';
import { purgeProEntries, type ProState } from './pro-cache.ts';
import type { RetryPolicy } from './retry.ts';
import { streamLoop } from './stream-loop.ts';

export interface WatchDeps {
  ex: ProExchange;
  clock: Clock;
  backoff: RetryPolicy;
  random: () => number;
  timeframes: readonly Timeframe[];
  orderBookDepth: number;
  /** Upper bound on waiting for an unsubscribe acknowledgement, in clock ms. */
  unwatchTimeoutMs: number;
  onError(error: unknown): void;
  onRecovered(): void;
}

interface Watched {
  controller: AbortController;
  outer: AbortSignal;
  loops: Array<Promise<void>>;
  liquidations: boolean;
}

/** The pro streams of each watched symbol, and their teardown. */
export class Watches {
  private readonly bySymbol = new Map<string, Watched>();
  /** One listener per caller signal, however many symbols share it (200 would trip Node's leak warning). */
  private readonly byOuter = new Map<AbortSignal, { symbols: Set<string>; onAbort: () => void }>();

  constructor(private readonly d: WatchDeps) {}

  has(symbol: string): boolean {
    return this.bySymbol.has(symbol);
  }

  start(symbol: string, h: StreamHandlers, signal: AbortSignal): void {
    if (this.bySymbol.has(symbol) || signal.aborted) return;
    const { ex, clock } = this.d;
    const controller = new AbortController();
    // Every stream loop of the symbol waits on this signal: timeframes + 5 may exceed the default 10.
    setMaxListeners(64, controller.signal);
    this.attach(signal, symbol);
    const deps = { clock, signal: controller.signal, backoff: this.d.backoff, random: this.d.random, onError: this.d.onError, onRecovered: this.d.onRecovered };
    const depth = this.d.orderBookDepth;
    const loops = [
      ...this.d.timeframes.map((tf) => streamLoop(() => ex.watchOHLCV(symbol, tf), (rows) => h.onCandles(tf, toCandles(rows)), deps)),
      streamLoop(() => ex.watchTicker(symbol), (t) => h.onTicker(toTicker(t, symbol, clock.now())), deps),
      streamLoop(() => ex.watchTrades(symbol), (rows) => h.onTrades(rows.map(toTrade)), deps),
      streamLoop(() => ex.watchOrderBook(symbol, depth), (b) => h.onOrderBook(toBook(b, symbol, depth, clock.now())), deps),
    ];
    const onLiquidations = h.onLiquidations?.bind(h);
    const liquidations = onLiquidations !== undefined && ex.has['watchLiquidations'] === true;
    if (liquidations) {
      loops.push(streamLoop(() => ex.watchLiquidations(symbol), (rows) => onLiquidations(rows.map(toLiquidation)), deps));
    }
    this.bySymbol.set(symbol, { controller, outer: signal, loops, liquidations });
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

  /** Stops the loops, unsubscribes where ccxt supports it, and purges ccxt's per-symbol state. */
  async stop(symbol: string): Promise<void> {
    const w = this.bySymbol.get(symbol);
    if (w) {
      this.bySymbol.delete(symbol);
      this.detach(w, symbol);
      w.controller.abort(new Error(`unwatch ${symbol}`));
      await Promise.all(w.loops);
      if (w.liquidations) this.unsubscribeLiquidations(symbol);
      await this.unsubscribe(symbol);
    }
    purgeProEntries(this.d.ex as unknown as ProState, symbol);
  }

  async stopAll(): Promise<void> {
    const symbols = [...this.bySymbol.keys()];
    for (const [symbol, w] of this.bySymbol) {
      this.detach(w, symbol);
      w.controller.abort(new Error('source closed'));
    }
    await Promise.all([...this.bySymbol.values()].flatMap((w) => w.loops));
    this.bySymbol.clear();
    for (const symbol of symbols) purgeProEntries(this.d.ex as unknown as ProState, symbol);
  }

  private async unsubscribe(symbol: string): Promise<void> {
    const { ex } = this.d;
    const calls: Array<Promise<unknown>> = [
      ...this.d.timeframes.map((tf) => ex.unWatchOHLCV(symbol, tf)),
      ex.unWatchTicker(symbol),
      ex.unWatchTrades(symbol),
      // ccxt's unWatchOrderBook assumes depth 500 on contracts; the topic must match the one watched.
      ex.unWatchOrderBook(symbol, { limit: this.d.orderBookDepth }),
    ];
    const settled = Promise.allSettled(calls);
    const timeout = new AbortController();
    // Liquidations have no unWatch in ccxt's bybit: the purge removes their rows and hashes instead.
    await Promise.race([settled, this.d.clock.sleep(this.d.unwatchTimeoutMs, timeout.signal).catch(() => undefined)]);
    timeout.abort();
  }

  /** ccxt's bybit has no unWatchLiquidations; without this the server keeps feeding the evicted symbol. */
  private unsubscribeLiquidations(symbol: string): void {
    const { ex } = this.d;
    const topic = `allLiquidation.${ex.marketId(symbol)}`;
    const clients = Object.values(ex.clients as Record<string, { url: string; isOpen?: () => boolean; send(m: unknown): Promise<unknown> }>);
    for (const client of clients) {
      if (!client.url.includes('/public/linear')) continue;
      client.send({ op: 'unsubscribe', req_id: `liq-${topic}`, args: [topic] }).catch(() => undefined);
    }
  }
}
