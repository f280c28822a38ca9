import { describe, expect, it } from 'vitest';
import { BYBIT_CADENCE, nextDue, pushGapMs, slowdown, STALL_MS, tradeGapMs, tradesPerPush } from './push-cadence.ts';
import { SimMarket } from './sim-market.ts';
import { parseTopic } from './ws-topics.ts';

const market = new SimMarket({ seed: 5, symbols: 200, epochMs: 0 });
const btc = market.symbol('BTCUSDT')!;
const byTurnover = [...market.all].sort((a, b) => b.turnover - a.turnover);
const tail = byTurnover.at(-1)!;
const topic = (name: string) => parseTopic(market, name)!;
const gap = (name: string, now = 0, speed = 1) => pushGapMs({ topic: topic(name), n: 0, now, toRealMs: (ms) => ms / speed });

function stats(xs: number[]): { mean: number; cv: number } {
  const mean = xs.reduce((a, b) => a + b, 0) / xs.length;
  const sd = Math.sqrt(xs.reduce((a, b) => a + (b - mean) ** 2, 0) / xs.length);
  return { mean, cv: sd / mean };
}

describe("Bybit's push cadence", () => {
  it('books by depth and tickers on fixed intervals, the same for every symbol', () => {
    expect([gap('orderbook.1.BTCUSDT'), gap('orderbook.50.BTCUSDT'), gap('orderbook.200.BTCUSDT'), gap('orderbook.1000.BTCUSDT')]).toEqual([10, 20, 100, 200]);
    expect(gap(`orderbook.50.${tail.id}`)).toBe(20);
    expect(gap(`tickers.${tail.id}`)).toBe(BYBIT_CADENCE.tickersMs);
  });

  it('trades come in bursts around the symbol mean, rarer for a symbol that trades less', () => {
    const draws = (s: typeof btc) => Array.from({ length: 20_000 }, (_, n) => tradeGapMs(s, n));
    const top = stats(draws(btc));
    expect(top.mean).toBeGreaterThan(BYBIT_CADENCE.trades.meanMs * 0.9);
    expect(top.mean).toBeLessThan(BYBIT_CADENCE.trades.meanMs * 1.1);
    // A uniform grid has cv 0 and a Poisson stream 1: the gaps cluster.
    expect(top.cv).toBeGreaterThan(1.5);
    expect(stats(draws(tail)).mean).toBeGreaterThan(top.mean * slowdown(tail) * 0.9);
    expect(slowdown(tail)).toBeGreaterThan(10);
    const batch = Array.from({ length: 5000 }, (_, n) => tradesPerPush(btc, n));
    expect(Math.min(...batch)).toBe(1);
    expect(Math.max(...batch)).toBeGreaterThan(3);
  });

  it('klines every 1-60 s by activity, and never later than just past the candle close', () => {
    expect(gap('kline.60.BTCUSDT')).toBe(BYBIT_CADENCE.kline.minMs);
    expect(gap(`kline.D.${tail.id}`)).toBeGreaterThan(BYBIT_CADENCE.kline.minMs * 10);
    expect(gap(`kline.D.${tail.id}`)).toBeLessThanOrEqual(BYBIT_CADENCE.kline.maxMs);
    // 200 ms before a 1m candle ends, at speed 1 and at speed 600 (where the 200 sim ms take a third of a ms).
    expect(gap('kline.1.BTCUSDT', 59_800)).toBe(201);
    expect(gap('kline.1.BTCUSDT', 59_800, 600)).toBeCloseTo(1.33, 2);
  });

  it('a fixed interval replaces the cadence of its kind only', () => {
    const fixed = { orderbook: 100 };
    expect(pushGapMs({ topic: topic('orderbook.50.BTCUSDT'), n: 0, now: 0, toRealMs: (ms) => ms, fixed })).toBe(100);
    expect(pushGapMs({ topic: topic('tickers.BTCUSDT'), n: 0, now: 0, toRealMs: (ms) => ms, fixed })).toBe(100);
    expect(pushGapMs({ topic: topic('kline.1.BTCUSDT'), n: 0, now: 0, toRealMs: (ms) => ms, fixed: { kline: 5000 } })).toBe(5000);
  });

  it('catches up within the stall bound, and skips ahead past it', () => {
    expect(nextDue(1000, 1010, 20)).toBe(1020);
    expect(nextDue(1000, 1000 + STALL_MS + 1, 20)).toBe(1000 + STALL_MS + 21);
  });
});
