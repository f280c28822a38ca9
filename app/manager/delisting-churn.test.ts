import { describe, expect, it } from 'vitest';
import { runDelistingChurn } from './testing/delisting-churn.ts';

const TIMEFRAMES = ['1m', '5m'];
/** Streams per watched symbol: one kline per timeframe, ticker, trades, book, liquidations. */
const STREAMS = TIMEFRAMES.length + 4;
/** ccxt's OHLCV, trades and liquidations limits as the source sets them (wsCacheLimit), and its book depth. */
const CACHE_LIMIT = 50;

describe('delisting through real ccxt against the emulator', () => {
  it('100 listings and delistings leave no ccxt state for gone symbols, and no unwatch error', { timeout: 120_000 }, async () => {
    const r = await runDelistingChurn({ turns: 100, live: 5, timeframes: TIMEFRAMES });
    expect(r.trackedEver).toBe(105);
    expect(r.gone).toHaveLength(100);
    const leftovers = r.gone.filter((s) => (r.state.bySymbol[s] ?? 0) > 0);
    expect(leftovers).toEqual([]);
    // Bounded by the live universe: only live symbols, each within its streams' share of every kind.
    expect(Object.keys(r.state.bySymbol).filter((s) => !r.live.includes(s))).toEqual([]);
    const live = r.live.length;
    expect(r.state.byKind.ohlcvs).toBeLessThanOrEqual(live * TIMEFRAMES.length);
    for (const kind of ['tickers', 'orderbooks', 'trades'] as const) expect(r.state.byKind[kind]).toBeLessThanOrEqual(live);
    expect(r.state.byKind.liquidations).toBeLessThanOrEqual(CACHE_LIMIT);
    for (const kind of ['subscriptions', 'futures', 'rejections'] as const) expect(r.state.byKind[kind]).toBeLessThanOrEqual(live * STREAMS);
    // Only an error reply still in flight at the last eviction (one per stream) may wait for the next one.
    expect(r.state.unattributed).toBeLessThanOrEqual(STREAMS);
    // Each cache within ccxt's limits as the source sets them, and each book within the watched depth.
    expect(r.state.longest.ohlcv).toBeGreaterThan(0);
    for (const n of Object.values(r.state.longest)) expect(n).toBeLessThanOrEqual(CACHE_LIMIT);
    // The unsubscribes reached the server: it serves the live symbols' streams only.
    expect(r.serverSubscriptions).toBe(live * STREAMS);
    expect(Object.keys(r.errors).filter((k) => k.startsWith('unwatch:'))).toEqual([]);
  });
});
