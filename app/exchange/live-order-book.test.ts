import ccxt from 'ccxt';
import { describe, expect, it } from 'vitest';
import { configSchema } from '../config/config-schema.ts';
import { MarketDataManager } from '../manager/market-data-manager.ts';
import { FakeClock } from '../testing/fake-clock.ts';
import { FakeMarketSource } from '../testing/fake-market-source.ts';
import type { CcxtBook } from './ccxt-convert.ts';
import { LiveOrderBook } from './live-order-book.ts';

const SYMBOL = 'BTC/USDT:USDT';

/** ccxt's own book, as its bybit handler keeps it: 80 levels a side, deltas applied in place. */
function ccxtBook(): CcxtBook & { bids: { storeArray(d: number[]): void }; asks: { storeArray(d: number[]): void } } {
  const ex = new ccxt.pro.bybit();
  return ex.orderBook({ bids: Array.from({ length: 80 }, (_, i) => [100 - i, 1 + i]), asks: Array.from({ length: 80 }, (_, i) => [101 + i, 1 + i]), timestamp: 5 });
}

describe('LiveOrderBook', () => {
  it("reads ccxt's book at the depth, as it is at the read, in copies ccxt cannot change", () => {
    const src = ccxtBook();
    const book = new LiveOrderBook(src, SYMBOL, 50, () => 0);
    const first = book.bids;
    expect(first).toHaveLength(50);
    expect(book.asks[0]).toEqual([101, 1]);
    src.bids.storeArray([100, 7]);
    src.asks.storeArray([100.5, 2]);
    expect(book.bids[0]).toEqual([100, 7]);
    expect(book.asks[0]).toEqual([100.5, 2]);
    expect(first[0]).toEqual([100, 1]);
  });

  it('serialises as the plain snapshot, never as ccxt’s object', () => {
    const parsed: unknown = JSON.parse(JSON.stringify(new LiveOrderBook(ccxtBook(), SYMBOL, 2, () => 0)));
    expect(parsed).toEqual({ symbol: SYMBOL, timestamp: 5, bids: [[100, 1], [99, 2]], asks: [[101, 1], [102, 2]], boundedAt: 2, stale: false });
  });

  it('is kept as it is by the manager when bounded at its depth; any other book is trimmed to it', () => {
    const clock = new FakeClock(0);
    const manager = new MarketDataManager({ source: new FakeMarketSource([SYMBOL], () => clock.now()), config: configSchema.parse({ limits: { orderbookDepth: 50 } }), clock, memory: { rssMb: () => 1, gc: undefined } });
    const live = new LiveOrderBook(ccxtBook(), SYMBOL, 50, () => 0);
    manager.storeOrderBook(live);
    expect(manager.orderBooks.get(SYMBOL)).toBe(live);
    manager.storeOrderBook(new LiveOrderBook(ccxtBook(), SYMBOL, 80, () => 0));
    expect(manager.orderBooks.get(SYMBOL)?.bids).toHaveLength(50);
    expect(manager.orderBooks.get(SYMBOL)).not.toBeInstanceOf(LiveOrderBook);
    const plain = { symbol: SYMBOL, timestamp: 1, bids: Array.from({ length: 80 }, (_, i): [number, number] => [i, 1]), asks: [] };
    manager.storeOrderBook(plain, 'ETH/USDT:USDT');
    expect(manager.orderBooks.get('ETH/USDT:USDT')).toMatchObject({ symbol: 'ETH/USDT:USDT', bids: plain.bids.slice(0, 50) });
  });
});
