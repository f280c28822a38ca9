import { describe, expect, it } from 'vitest';
import { purgeProEntries } from './pro-cache.ts';
import { countProClientState, symbolOfHash, type ProState } from './pro-client-state.ts';

const A = 'A/USDT:USDT';
const B = 'B/USDT:USDT';

function liquidations(rows: Array<{ symbol: string }>) {
  const cache = Object.assign([...rows], {
    clear: () => void cache.splice(0),
    append: (row: { symbol?: string }) => void cache.push({ symbol: row.symbol ?? '' }),
  });
  return cache;
}

function state(): ProState & { clients: Record<string, { subscriptions: Record<string, unknown>; futures: Record<string, unknown>; rejections: Record<string, unknown> }> } {
  return {
    ohlcvs: { [A]: { '1m': [1, 2, 3], '5m': [] }, [B]: {} },
    tickers: { [A]: {}, [B]: {} },
    orderbooks: { [A]: { bids: [[1, 1], [2, 1]], asks: [[3, 1]] } },
    trades: { [B]: [1] },
    liquidations: liquidations([{ symbol: A }, { symbol: B }, { symbol: A }]),
    clients: {
      ws: {
        subscriptions: { [`ohlcv::${A}::1m`]: {}, [`ticker:${A}`]: {}, [`unsubscribe:trade:${B}`]: {}, liquidations: {} },
        futures: { [`orderbook:${A}`]: {} },
        rejections: { [`ticker:${B}`]: new Error('x'), '17': new Error('late reply') },
      },
    },
  };
}

describe('ccxt pro client state', () => {
  it('finds the unified symbol in ccxt message hashes', () => {
    expect(symbolOfHash(`ohlcv::${A}::1m`)).toBe(A);
    expect(symbolOfHash(`unsubscribe:trade:${A}`)).toBe(A);
    expect(symbolOfHash('liquidations')).toBeUndefined();
  });

  it('counts every kind, by symbol, and what names no symbol', () => {
    const c = countProClientState(state());
    expect(c.byKind).toEqual({ ohlcvs: 3, tickers: 2, orderbooks: 1, trades: 1, bidsasks: 0, liquidations: 3, subscriptions: 4, futures: 1, rejections: 2 });
    expect(c.bySymbol).toEqual({ [A]: 2 + 1 + 1 + 2 + 2 + 1, [B]: 1 + 1 + 1 + 1 + 1 + 1 });
    expect(c.unattributed).toBe(2);
    expect(c.total).toBe(17);
    expect(c.longest).toEqual({ ohlcv: 3, trades: 1, bookSide: 2, liquidations: 3 });
  });

  it('purges one symbol entirely, and orphaned request-id rejections, leaving the other symbol', () => {
    const s = state();
    const rejected: string[] = [];
    Object.assign(s.clients['ws']!, { reject: (_e: Error, hash: string) => void rejected.push(hash) });
    purgeProEntries(s, A);
    const c = countProClientState(s);
    expect(c.bySymbol[A]).toBeUndefined();
    expect(c.bySymbol[B]).toBe(6);
    expect(rejected).toEqual([`orderbook:${A}`]);
    expect(Object.keys(s.clients['ws']!.rejections)).toEqual([`ticker:${B}`]);
  });
});
