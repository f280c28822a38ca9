import type { Candle, OpenInterestPoint, TradePrint } from '../core/market-types.ts';
import type { MarketSource, SourceStats, StreamHandlers } from '../exchange/market-source.ts';
import { emptyKinds, type ProClientState } from '../exchange/pro-client-state.ts';

const MINUTE = 60_000;

/** `count` 1m candles ending at `endMs` (aligned), each a valid bar. */
export function minuteCandles(count: number, endMs: number): Candle[] {
  const last = Math.floor(endMs / MINUTE) * MINUTE;
  return Array.from({ length: count }, (_, i): Candle => {
    const ts = last - (count - 1 - i) * MINUTE;
    const o = 100 + (i % 7);
    return [ts, o, o + 2, o - 1, o + 1, 10 + i];
  });
}

export function oiPoints(count: number, endMs: number): OpenInterestPoint[] {
  return Array.from({ length: count }, (_, i) => ({ timestamp: endMs - (count - 1 - i) * 5 * MINUTE, openInterestAmount: 1000 + i }));
}

/**
 * A MarketSource for manager tests where no exchange fault is involved: deterministic rows from `now`,
 * recorded watch/unwatch calls, and a client-side cache per watched symbol like ccxt pro keeps.
 */
export class FakeMarketSource implements MarketSource {
  readonly watched = new Map<string, StreamHandlers>();
  readonly unwatched: string[] = [];
  readonly clientCaches = new Map<string, number>();
  failSymbols = new Set<string>();
  /** Every REST request as [method, symbol, size]. */
  readonly requests: Array<[string, string, number]> = [];
  private calls = 0;

  constructor(
    private readonly universe: string[],
    private readonly now: () => number,
  ) {}

  async loadSymbols() {
    this.calls++;
    return [...this.universe];
  }
  /** No turnovers: a topN universe takes the listing order, as before ranking. */
  async fetchTurnovers(): Promise<Record<string, number>> {
    this.calls++;
    return {};
  }
  async fetchTicker(symbol: string) {
    this.hit(symbol);
    return { symbol, timestamp: this.now(), last: 100 };
  }
  async fetchOrderBook(symbol: string, depth: number) {
    this.hit(symbol);
    const levels = Array.from({ length: depth + 10 }, (_, i): [number, number] => [100 - i, 1]);
    return { symbol, timestamp: this.now(), bids: levels, asks: levels };
  }
  async fetchTrades(symbol: string, limit: number): Promise<TradePrint[]> {
    this.hit(symbol);
    return Array.from({ length: limit }, (_, i) => ({ id: `${i}`, timestamp: this.now() - limit + i, side: 'buy', price: 100, amount: 1 }));
  }
  async fetchOHLCV(symbol: string, timeframe: string, limit: number) {
    this.requests.push([`fetchOHLCV:${timeframe}`, symbol, limit]);
    this.hit(symbol);
    return minuteCandles(limit, this.now());
  }
  async fetchOpenInterest(symbol: string) {
    this.hit(symbol);
    return { timestamp: this.now(), openInterestAmount: 1 };
  }
  async fetchOpenInterestHistory(symbol: string, _tf: string, limit: number) {
    this.requests.push(['fetchOpenInterestHistory', symbol, limit]);
    this.hit(symbol);
    return oiPoints(limit, this.now());
  }

  watch(symbol: string, handlers: StreamHandlers, signal: AbortSignal): void {
    this.watched.set(symbol, handlers);
    this.clientCaches.set(symbol, 3);
    signal.addEventListener('abort', () => this.watched.delete(symbol), { once: true });
  }
  async unwatch(symbol: string): Promise<void> {
    this.unwatched.push(symbol);
    this.watched.delete(symbol);
    this.clientCaches.delete(symbol);
  }
  clientCacheEntries(symbol: string): number {
    return this.clientCaches.get(symbol) ?? 0;
  }
  clientState(): ProClientState {
    const bySymbol = Object.fromEntries(this.clientCaches);
    const total = Object.values(bySymbol).reduce((a, b) => a + b, 0);
    return { byKind: { ...emptyKinds(), subscriptions: total }, bySymbol, unattributed: 0, total, longest: { ohlcv: 0, trades: 0, bookSide: 0, liquidations: 0 } };
  }
  stats(): SourceStats {
    return { restCalls: this.calls, wsMessages: 0, reconnects: 0, errorsByKind: {} };
  }
  async close(): Promise<void> {
    this.watched.clear();
  }

  private hit(symbol: string): void {
    this.calls++;
    if (this.failSymbols.has(symbol)) throw Object.assign(new Error(`fake outage for ${symbol}`), { name: 'ExchangeNotAvailable' });
  }
}
