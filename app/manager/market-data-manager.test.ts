import { describe, expect, it } from 'vitest';
import { NaiveOhlcvStore } from '../caches/testing/naive-ohlcv-store.ts';
import { configSchema } from '../config/config-schema.ts';
import { FakeClock } from '../testing/fake-clock.ts';
import { FakeMarketSource, minuteCandles, oiPoints } from '../testing/fake-market-source.ts';
import { MarketDataManager, type ManagerConfig } from './market-data-manager.ts';

const NOW = Date.UTC(2025, 0, 1, 12);

function setup(over: Partial<ManagerConfig> = {}, universe = ['A/USDT:USDT', 'B/USDT:USDT', 'C/USDT:USDT']) {
  const clock = new FakeClock(NOW);
  const source = new FakeMarketSource(universe, () => clock.now());
  let rss = 200;
  let gcCalls = 0;
  const config = { ...configSchema.parse({}), ...over };
  const manager = new MarketDataManager({
    source,
    config,
    clock,
    memory: { rssMb: () => (rss -= 1.5), gc: () => { gcCalls++; } },
  });
  return { clock, source, manager, config, gcCalls: () => gcCalls };
}

describe('MarketDataManager stores', () => {
  it('keeps 1440 of a first insert of 5,000 1m candles, the newest ones', () => {
    const { manager } = setup();
    const rows = minuteCandles(5000, NOW);
    expect(manager.storeOhlcv('A/USDT:USDT', '1m', rows)).toBe(1440);
    const store = manager.ohlcv.get('A/USDT:USDT|1m');
    expect(store?.size).toBe(1440);
    expect(store?.toArray()[0]).toEqual(rows[5000 - 1440]);
    expect(store?.last()).toEqual(rows[4999]);
  });

  it('trims a first insert in the manager itself, even when the injected store never trims', () => {
    const clock = new FakeClock(NOW);
    const manager = new MarketDataManager({
      source: new FakeMarketSource([], () => clock.now()),
      config: configSchema.parse({}),
      clock,
      createOhlcvStore: (rows) => NaiveOhlcvStore.from(rows),
    });
    manager.storeOhlcv('A/USDT:USDT', '1m', minuteCandles(5000, NOW));
    expect(manager.ohlcv.get('A/USDT:USDT|1m')?.size).toBe(1440);
  });

  it('merges later inserts: same timestamp updates, newer appends, bound holds', () => {
    const { manager } = setup();
    manager.storeOhlcv('A/USDT:USDT', '5m', [[NOW - 300_000, 1, 2, 0.5, 1.5, 10]]);
    manager.storeOhlcv('A/USDT:USDT', '5m', [
      [NOW - 300_000, 1, 3, 0.5, 2.5, 12],
      [NOW, 2.5, 3, 2, 2.8, 1],
    ]);
    expect(manager.ohlcv.get('A/USDT:USDT|5m')?.toArray()).toEqual([
      [NOW - 300_000, 1, 3, 0.5, 2.5, 12],
      [NOW, 2.5, 3, 2, 2.8, 1],
    ]);
  });

  it('drops malformed rows and counts them by reason', () => {
    const { manager } = setup();
    const bad = [[NOW, 1, 0.5, 2, 1, 1], [NOW + 30_000, 1, 2, 0.5, 1, 1], [NOW, 1, 2], [NOW, NaN, 2, 0.5, 1, 1]] as never;
    expect(manager.storeOhlcv('A/USDT:USDT', '1m', bad)).toBe(0);
    expect(manager.ohlcv.size).toBe(0);
    expect(Object.values(manager.errors).reduce((a, b) => a + b, 0)).toBe(4);
  });

  it('stops open-interest history at 288, also across refreshes', () => {
    const { manager } = setup();
    expect(manager.storeOpenInterestHistory('A/USDT:USDT', oiPoints(500, NOW))).toBe(500);
    expect(manager.openInterestHistory.get('A/USDT:USDT')?.size).toBe(288);
    manager.storeOpenInterestHistory('A/USDT:USDT', oiPoints(400, NOW + 3_600_000));
    const kept = manager.openInterestHistory.get('A/USDT:USDT')!.toArray();
    expect(kept).toHaveLength(288);
    expect(kept.at(-1)?.timestamp).toBe(NOW + 3_600_000);
    expect(new Set(kept.map((p) => p.timestamp)).size).toBe(288);
  });

  it('bounds trades and liquidations and drops duplicate prints', () => {
    const { manager, config } = setup();
    const prints = Array.from({ length: 3000 }, (_, i) => ({ id: `${i}`, timestamp: NOW + i, side: 'buy' as const, price: 1, amount: 1 }));
    manager.storeTrades('A/USDT:USDT', prints);
    expect(manager.storeTrades('A/USDT:USDT', prints.slice(-10))).toBe(0);
    manager.storeLiquidations('A/USDT:USDT', prints);
    expect(manager.trades.get('A/USDT:USDT')?.size).toBe(config.limits.trades);
    expect(manager.liquidations.get('A/USDT:USDT')?.size).toBe(config.limits.liquidations);
  });
});

describe('MarketDataManager.runMemoryCleanupSync', () => {
  it('enforces limits a config reload shrank, and reports gc and memory', () => {
    const { manager, config, gcCalls } = setup();
    manager.storeOhlcv('A/USDT:USDT', '1m', minuteCandles(1440, NOW));
    manager.storeOhlcv('A/USDT:USDT', '5m', [[NOW, 1, 2, 0.5, 1, 1]]);
    manager.storeOpenInterestHistory('A/USDT:USDT', oiPoints(288, NOW));
    manager.setTrackedSymbols(['A/USDT:USDT']);
    manager.reconfigure({ ...config, limits: { ...config.limits, ohlcv: { '1m': 100 }, oiHistory: 50 } });
    const r = manager.runMemoryCleanupSync();
    expect(r).toMatchObject({ ohlcvTrimmed: 1, oiTrimmed: 1, evicted: 0, gcRan: true, memoryBeforeMb: 198.5, memoryAfterMb: 197 });
    expect(gcCalls()).toBe(1);
    expect(r.durationMs).toBeGreaterThanOrEqual(0);
    expect(manager.ohlcv.get('A/USDT:USDT|1m')?.size).toBe(100);
    expect(manager.openInterestHistory.get('A/USDT:USDT')?.size).toBe(50);
    expect(manager.lastCleanup).toBe(r);
    expect(manager.runMemoryCleanupSync()).toMatchObject({ ohlcvTrimmed: 0, oiTrimmed: 0 });
  });

  it('reports GC: no without an exposed gc', () => {
    const clock = new FakeClock(NOW);
    const manager = new MarketDataManager({
      source: new FakeMarketSource([], () => clock.now()),
      config: configSchema.parse({}),
      clock,
      memory: { rssMb: () => 100, gc: undefined },
    });
    expect(manager.runMemoryCleanupSync()).toMatchObject({ gcRan: false, gcMs: 0 });
  });

  it('evicts every cache of rotated-out symbols and releases their streams and client caches', async () => {
    const { manager, source } = setup({ symbols: [] }, ['A/USDT:USDT', 'B/USDT:USDT', 'C/USDT:USDT']);
    manager.setTrackedSymbols(['A/USDT:USDT', 'B/USDT:USDT', 'C/USDT:USDT']);
    for (const s of ['A/USDT:USDT', 'B/USDT:USDT', 'C/USDT:USDT']) {
      manager.storeOhlcv(s, '1m', minuteCandles(10, NOW));
      manager.storeOhlcv(s, '4h', [[NOW - (NOW % 14_400_000), 1, 2, 0.5, 1, 1]]);
      manager.storeTicker({ symbol: s, timestamp: NOW, last: 1 });
      manager.storeOrderBook({ symbol: s, timestamp: NOW, bids: [], asks: [] });
      manager.storeTrades(s, [{ timestamp: NOW, side: 'buy', price: 1, amount: 1 }]);
      manager.storeOpenInterest(s, { timestamp: NOW, openInterestAmount: 1 });
      manager.storeOpenInterestHistory(s, oiPoints(3, NOW));
      manager.storeLongShortRatio(s, [{ timestamp: NOW, longShortRatio: 1 }]);
      manager.storeLiquidations(s, [{ timestamp: NOW, side: 'sell', price: 1, amount: 1 }]);
    }
    expect(source.clientCacheEntries('B/USDT:USDT')).toBeGreaterThan(0);
    manager.setTrackedSymbols(['A/USDT:USDT', 'D/USDT:USDT']);

    const r = manager.runMemoryCleanupSync();
    await manager.whenUnwatched();

    expect(r.evicted).toBe(2);
    expect(source.unwatched.sort()).toEqual(['B/USDT:USDT', 'C/USDT:USDT']);
    for (const gone of ['B/USDT:USDT', 'C/USDT:USDT']) {
      expect(source.clientCacheEntries(gone)).toBe(0);
      expect(source.watched.has(gone)).toBe(false);
      for (const map of [manager.tickers, manager.orderBooks, manager.trades, manager.openInterest, manager.openInterestHistory, manager.longShortRatio, manager.liquidations]) {
        expect(map.has(gone)).toBe(false);
      }
    }
    expect([...manager.ohlcv.keys()].sort()).toEqual(['A/USDT:USDT|1m', 'A/USDT:USDT|4h']);
    expect(source.watched.has('D/USDT:USDT')).toBe(true);
    expect(manager.runMemoryCleanupSync().evicted).toBe(0);
  });

  it('ignores stream updates of a symbol once it left the universe', () => {
    const { manager, source } = setup();
    manager.setTrackedSymbols(['A/USDT:USDT']);
    const handlers = source.watched.get('A/USDT:USDT')!;
    manager.setTrackedSymbols([]);
    handlers.onCandles('1m', minuteCandles(5, NOW));
    handlers.onTicker({ symbol: 'A/USDT:USDT', timestamp: NOW, last: 1 });
    expect(manager.ohlcv.size + manager.tickers.size).toBe(0);
  });
});

describe('MarketDataManager refresh loops', () => {
  it('loads every component, requests only the gap later, and goes on past a failing symbol', async () => {
    const { manager, source, clock } = setup({ symbols: [], topN: 2, timeframes: ['1m'] }, ['A/USDT:USDT', 'B/USDT:USDT', 'Z/USDT:USDT']);
    source.failSymbols.add('B/USDT:USDT');
    await manager.start();
    expect(manager.trackedSymbols()).toEqual(['A/USDT:USDT', 'B/USDT:USDT']);
    await clock.whenSleeping(7);
    expect(manager.ready).toBe(true);
    expect(source.requests.filter(([m]) => m === 'fetchOHLCV:1m')).toEqual([['fetchOHLCV:1m', 'A/USDT:USDT', 1000], ['fetchOHLCV:1m', 'B/USDT:USDT', 1000]]);
    // The configured 288 points (two of Bybit's pages, which the source walks), then only the gap.
    expect(source.requests).toContainEqual(['fetchOpenInterestHistory', 'A/USDT:USDT', 288]);
    expect(manager.ohlcv.get('A/USDT:USDT|1m')?.size).toBe(1000);
    expect(manager.tickers.has('A/USDT:USDT')).toBe(true);
    expect(manager.tickers.has('B/USDT:USDT')).toBe(false);
    expect(manager.errors['ohlcv:1m:ExchangeNotAvailable']).toBe(1);

    await clock.advance(300_000);
    await clock.whenSleeping(7);
    expect(source.requests.filter(([m, s]) => m === 'fetchOHLCV:1m' && s === 'A/USDT:USDT').at(-1)).toEqual(['fetchOHLCV:1m', 'A/USDT:USDT', 7]);
    await manager.stop();
    expect(manager.monitoring).toBe(false);
    expect(clock.pendingSleeps).toBe(0);
  });

  it('asks for a full page while a key holds only a few WebSocket candles', () => {
    const { manager } = setup();
    manager.storeOhlcv('A/USDT:USDT', '1m', minuteCandles(3, NOW));
    expect(manager.ohlcvFetchSize('A/USDT:USDT', '1m', 1000)).toBe(1000);
    expect(manager.ohlcvFetchSize('A/USDT:USDT', '4h', 1000)).toBe(360);
    manager.storeOhlcv('A/USDT:USDT', '1m', minuteCandles(1000, NOW));
    expect(manager.ohlcvFetchSize('A/USDT:USDT', '1m', 1000)).toBe(2);
  });

  it('asks for the configured open-interest history (paged by the source) until held, then for the gap', () => {
    const { manager, clock } = setup();
    expect(manager.historyFetchSize('openInterestHistory', 'A/USDT:USDT', '5m', 2000)).toBe(288);
    expect(manager.historyFetchSize('openInterestHistory', 'A/USDT:USDT', '5m', 200)).toBe(200);
    manager.storeOpenInterestHistory('A/USDT:USDT', oiPoints(288, clock.now()));
    expect(manager.historyFetchSize('openInterestHistory', 'A/USDT:USDT', '5m', 2000)).toBe(2);
    expect(manager.historyFetchSize('longShortRatio', 'A/USDT:USDT', '5m', 500)).toBe(288);
  });
});
