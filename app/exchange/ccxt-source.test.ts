import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Candle, LiquidationPrint, OrderBookSnapshot, TickerSnapshot, TradePrint } from '../core/market-types.ts';
import { startEmulator, type EmulatorHandle } from '../sim/emulator.ts';
import { createCcxtSource, type CcxtSourceOptions } from './ccxt-source.ts';
import type { MarketSource } from './market-source.ts';
import { until } from '../testing/until.ts';

const BTC = 'BTC/USDT:USDT';
let emu: EmulatorHandle;
let source: MarketSource;

function simSource(extra: CcxtSourceOptions = {}): MarketSource {
  return createCcxtSource({
    restBaseUrl: emu.url,
    wsUrl: emu.wsUrl,
    clock: emu.clock,
    random: () => 0.5,
    retry: { attempts: 4, baseMs: 200, maxMs: 2_000 },
    timeframes: ['1m', '5m'],
    // 2 s real at speed 60: the default 5 s of sim time (83 ms real) ran out before the acks on a loaded
    // machine, and pushes still in flight then refilled ccxt's caches after the purge.
    unwatchTimeoutMs: 120_000,
    ...extra,
  });
}


beforeAll(async () => {
  emu = await startEmulator({ seed: 3, symbols: 6, speed: 60, wsRate: 1_000 });
  source = simSource();
});
afterAll(async () => {
  await source.close();
  await emu.stop();
});

describe('REST through real ccxt parsing', () => {
  it('loads the linear perps in unified form', async () => {
    const symbols = await source.loadSymbols();
    expect([...symbols].sort()).toEqual(['BTC/USDC:USDC', BTC, 'ETH/USDC:USDC', 'ETH/USDT:USDT', 'SYM001/USDT:USDT', 'SYM002/USDT:USDT', 'SYM003/USDT:USDT', 'SYM004/USDT:USDT']);
  });

  it('parses ticker, order book and trades', async () => {
    const t = await source.fetchTicker(BTC);
    expect(t.symbol).toBe(BTC);
    expect(t.last).toBeGreaterThan(0);
    expect(t.bid!).toBeLessThan(t.ask!);
    const book = await source.fetchOrderBook(BTC, 5);
    expect(book.bids).toHaveLength(5);
    expect(book.asks).toHaveLength(5);
    expect(book.bids[0]![0]).toBeGreaterThan(book.bids[1]![0]);
    expect(book.asks[0]![0]).toBeGreaterThan(book.bids[0]![0]);
    const trades = await source.fetchTrades(BTC, 20);
    expect(trades).toHaveLength(20);
    expect(trades.every((x) => (x.side === 'buy' || x.side === 'sell') && x.price > 0 && x.amount > 0 && x.id !== undefined)).toBe(true);
  });

  it('parses OHLCV ascending on the timeframe grid', async () => {
    const rows = await source.fetchOHLCV(BTC, '5m', 100);
    expect(rows).toHaveLength(100);
    for (const [i, r] of rows.entries()) {
      expect(r).toHaveLength(6);
      expect(r.every(Number.isFinite)).toBe(true);
      expect(r[0] % 300_000).toBe(0);
      if (i > 0) expect(r[0] - rows[i - 1]![0]).toBe(300_000);
    }
  });

  it('parses open interest, its history and the long/short ratio', async () => {
    const oi = await source.fetchOpenInterest(BTC);
    expect(oi.openInterestAmount).toBeGreaterThan(0);
    // The newest 5-min bucket, asked for alone: an hourly one would repeat for 12 refreshes.
    expect(emu.stats().recentRequests.filter((r) => r.startsWith('/v5/market/open-interest')).at(-1)).toMatch(/intervalTime=5min&.*limit=1\b|limit=1&.*intervalTime=5min/);
    expect(oi.timestamp % 300_000).toBe(0);
    expect(emu.clock.now() - oi.timestamp).toBeLessThan(600_000);
    const history = await source.fetchOpenInterestHistory(BTC, '5m', 12);
    expect(history).toHaveLength(12);
    expect(history.every((p) => p.openInterestAmount > 0 && p.timestamp % 300_000 === 0)).toBe(true);
    // The emulator, like Bybit, only knows period=5min: this passes only if the source maps '5m'.
    const ratios = await source.fetchLongShortRatio!(BTC, '5m', 10);
    expect(ratios).toHaveLength(10);
    expect(ratios.every((p) => p.longShortRatio > 0 && Number.isFinite(p.timestamp))).toBe(true);
  });

  it("pages open-interest history through ccxt's nextPageCursor paginator; the ratio in one page of up to 500", async () => {
    const before = emu.stats().restRequests;
    const history = await source.fetchOpenInterestHistory(BTC, '5m', 450);
    expect(emu.stats().restRequests - before).toBe(3);
    expect(history).toHaveLength(450);
    expect(history.at(-1)!.timestamp).toBe(Math.floor(emu.clock.now() / 300_000) * 300_000);
    for (let i = 1; i < history.length; i++) expect(history[i]!.timestamp - history[i - 1]!.timestamp).toBe(300_000);
    const mid = emu.stats().restRequests;
    expect(await source.fetchLongShortRatio!(BTC, '5m', 450)).toHaveLength(450);
    expect(emu.stats().restRequests - mid).toBe(1);
  });

  it('lets malformed rows through without crashing (the manager validates)', async () => {
    emu.setFaults({ malformedEvery: 3 });
    const rows: Candle[] = await source.fetchOHLCV(BTC, '1m', 30).finally(() => emu.clearFaults());
    const bad = rows.filter((r) => r.length !== 6 || !r.every(Number.isFinite) || r[2] < r[3] || r[0] % 60_000 !== 0 || r[0] > emu.clock.now());
    expect(bad.length).toBeGreaterThanOrEqual(8);
  });
});

describe('REST retries against the emulator faults', () => {
  const kinds = () => source.stats().errorsByKind;
  const cases = [
    ['rateLimit 10006', { rateLimit: { next: 2 } }, 'RateLimitExceeded'],
    ['systemError 10016', { systemError: { next: 2 } }, 'ExchangeError'],
    ['serverError 503', { serverError: { next: 2, status: 503 as const } }, 'ExchangeNotAvailable'],
    ['serverError 504', { serverError: { next: 2, status: 504 as const } }, 'RequestTimeout'],
  ] as const;
  it.each(cases)('%s is retried and counted as %s', async (_name, faults, kind) => {
    const before = kinds()[kind] ?? 0;
    emu.setFaults(faults);
    const t: TickerSnapshot = await source.fetchTicker(BTC).finally(() => emu.clearFaults());
    expect(t.last).toBeGreaterThan(0);
    expect((kinds()[kind] ?? 0) - before).toBe(2);
  });

  it('a reply slower than ccxt timeout is a RequestTimeout, retried', async () => {
    // 1.5 s: a loaded machine (load 30 seen) answered plain requests after more than 300 ms.
    const quick = simSource({ timeoutMs: 1_500 });
    try {
      await quick.loadSymbols();
      emu.setFaults({ slow: { next: 2, delayMs: 4_000 } });
      const book = await quick.fetchOrderBook(BTC, 1).finally(() => emu.clearFaults());
      expect(book.bids).toHaveLength(1);
      expect(quick.stats().errorsByKind).toEqual({ RequestTimeout: 2 });
    } finally {
      await quick.close();
    }
  });

  it('recovers when the first, implicit market load fails', async () => {
    const fresh = simSource({ timeoutMs: 1_500 });
    try {
      emu.setFaults({ slow: { next: 2, delayMs: 4_000 } });
      const t = await fresh.fetchTicker(BTC).finally(() => emu.clearFaults());
      expect(t.last).toBeGreaterThan(0);
      expect(fresh.stats().errorsByKind).toEqual({ RequestTimeout: 1 });
    } finally {
      await fresh.close();
    }
  });

  it('gives up after `attempts` tries, with no extra request', async () => {
    const faultsBefore = emu.stats().restFaults.rateLimit;
    const before = kinds()['RateLimitExceeded'] ?? 0;
    emu.setFaults({ rateLimit: { next: 50 } });
    await expect(source.fetchTicker(BTC).finally(() => emu.clearFaults())).rejects.toMatchObject({ name: 'RateLimitExceeded' });
    expect((kinds()['RateLimitExceeded'] ?? 0) - before).toBe(4);
    expect(emu.stats().restFaults.rateLimit - faultsBefore).toBe(4);
  });

  it('rejects a non-retryable error after one request', async () => {
    const requests = emu.stats().restRequests;
    await expect(source.fetchLongShortRatio!(BTC, '2h', 5)).rejects.toMatchObject({ name: 'BadRequest' });
    expect(emu.stats().restRequests - requests).toBe(1);
  });
});

describe('WebSocket streams', () => {
  it('deliver candles, ticker, trades, book and liquidations; reconnect; unwatch leaves no client entries', async () => {
    const got = { candles: new Map<string, Candle[]>(), tickers: [] as TickerSnapshot[], trades: [] as TradePrint[], books: [] as OrderBookSnapshot[], liq: [] as LiquidationPrint[] };
    const controller = new AbortController();
    source.watch(
      BTC,
      {
        onCandles: (tf, rows) => got.candles.set(tf, [...(got.candles.get(tf) ?? []), ...rows]),
        onTicker: (t) => got.tickers.push(t),
        onTrades: (rows) => got.trades.push(...rows),
        onOrderBook: (b) => got.books.push(b),
        onLiquidations: (rows) => got.liq.push(...rows),
      },
      controller.signal,
    );
    await until('every stream delivering', () => got.candles.has('1m') && got.candles.has('5m') && got.tickers.length > 1 && got.trades.length > 0 && got.books.length > 0 && got.liq.length > 0);
    expect(got.candles.get('5m')![0]![0] % 300_000).toBe(0);
    expect(got.tickers.every((t) => t.symbol === BTC && t.last > 0)).toBe(true);
    expect(got.books[0]!.bids).toHaveLength(50);
    expect(got.trades[0]!.price).toBeGreaterThan(0);
    expect(got.liq[0]!.amount).toBeGreaterThan(0);
    expect(source.stats().wsMessages).toBeGreaterThan(5);

    const tickersBefore = got.tickers.length;
    emu.disconnectWs();
    await until('tickers after a reconnect', () => source.stats().reconnects > 0 && got.tickers.length > tickersBefore + 2);
    expect(source.stats().errorsByKind['NetworkError']).toBeGreaterThan(0);

    expect(source.clientCacheEntries(BTC)).toBeGreaterThan(0);
    await source.unwatch(BTC);
    expect(source.clientCacheEntries(BTC)).toBe(0);
    await until('no subscriptions left on the server', () => emu.stats().ws.subscriptions === 0);
    await new Promise((resolve) => setTimeout(resolve, 150));
    expect(source.clientCacheEntries(BTC)).toBe(0);
    controller.abort();
  });

  it('stops a symbol\'s streams when the caller aborts', async () => {
    const controller = new AbortController();
    let tickers = 0;
    const ignore = () => {};
    source.watch('ETH/USDT:USDT', { onCandles: ignore, onTicker: () => (tickers += 1), onTrades: ignore, onOrderBook: ignore }, controller.signal);
    await until('a first ticker', () => tickers > 0);
    controller.abort();
    await new Promise((resolve) => setTimeout(resolve, 100));
    const after = tickers;
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(tickers).toBe(after);
    await source.unwatch('ETH/USDT:USDT');
    expect(source.clientCacheEntries('ETH/USDT:USDT')).toBe(0);
  });
});

describe('loopback guard on the source', () => {
  it('refuses REST to a non-loopback URL before any request, and does not retry it', async () => {
    const live = createCcxtSource({ clock: emu.clock });
    try {
      await expect(live.loadSymbols()).rejects.toMatchObject({ name: 'NonLoopbackError' });
      expect(live.stats()).toMatchObject({ restCalls: 0, errorsByKind: { NonLoopbackError: 1 } });
    } finally {
      await live.close();
    }
  });

  it('refuses a non-loopback WebSocket URL', async () => {
    const live = simSource({ wsUrl: 'wss://stream.bybit.com/v5/public/linear', timeframes: [] });
    const controller = new AbortController();
    try {
      await live.loadSymbols();
      const ignore = () => {};
      live.watch(BTC, { onCandles: ignore, onTicker: ignore, onTrades: ignore, onOrderBook: ignore }, controller.signal);
      await until('three refused non-loopback calls', () => (live.stats().errorsByKind['NonLoopbackError'] ?? 0) >= 3);
      expect(live.stats().wsMessages).toBe(0);
    } finally {
      controller.abort();
      await live.close();
    }
  });
});
