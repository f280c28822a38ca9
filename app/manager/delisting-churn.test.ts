import { describe, expect, it } from 'vitest';
import { entriesOf, runDelistingChurn } from './testing/delisting-churn.ts';

const TIMEFRAMES = ['1m', '5m'];
/** Streams per watched symbol: one kline per timeframe, ticker, trades, book, liquidations. */
const STREAMS = TIMEFRAMES.length + 4;
/** ccxt's OHLCV, trades and liquidations limits as the source sets them (wsCacheLimit), and its book depth. */
const CACHE_LIMIT = 50;

describe('delisting through real ccxt against the emulator', () => {
  it('100 delistings whose streams outlive the listing leave no ccxt state under any id, and no unwatch error', { timeout: 120_000 }, async () => {
    const r = await runDelistingChurn({ turns: 100, live: 5, timeframes: TIMEFRAMES });
    expect(r.trackedEver).toBe(105);
    expect(r.gone).toHaveLength(100);
    // The window was there: ccxt filed messages under the bare exchange id before most evictions.
    expect(r.outlived).toBeGreaterThan(80);
    const leftovers = r.gone.filter((s) => entriesOf(r, s) > 0);
    expect(leftovers).toEqual([]);
    // Bounded by the live universe: only live symbols' names, each within its streams' share of every kind.
    const liveNames = r.live.flatMap((s) => r.names[s] ?? [s]);
    expect(Object.keys(r.state.bySymbol).filter((s) => !liveNames.includes(s))).toEqual([]);
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
