import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { purgeProEntries } from './pro-cache.ts';
import { countProClientState, entriesUnder, symbolOfHash, type ProState } from './pro-client-state.ts';

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
    purgeProEntries(s, [A]);
    const c = countProClientState(s);
    expect(c.bySymbol[A]).toBeUndefined();
    expect(c.bySymbol[B]).toBe(6);
    expect(rejected).toEqual([`orderbook:${A}`]);
    expect(Object.keys(s.clients['ws']!.rejections)).toEqual([`ticker:${B}`]);
  });
});

/** Every message-hash form ccxt's bybit files a market under (ccxt 4.5.84), with `M` for the market name. */
const HASH_FORMS = [
  'ticker:M',
  'trade:M',
  'orderbook:M',
  'ohlcv::M::1m',
  'ohlcv::M::4h',
  'liquidations::M',
  'unsubscribe:ticker:M',
  'unsubscribe:trade:M',
  'unsubscribe:orderbook:M',
  'unsubscribe::ohlcv::M::1d',
  'unsubscribe:liquidations::M',
];
/** Bybit's topics, which carry the exchange id only. */
const TOPIC_FORMS = [
  'tickers.M',
  'publicTrade.M',
  'kline.1.M',
  'kline.D.M',
  'orderbook.50.M',
  'allLiquidation.M',
];
const bybitId = fc.stringMatching(/^(?:1000)?[A-Z][A-Z0-9]{1,8}(?:USDT|USDC|PERP)$/);
const unified = fc.tuple(fc.stringMatching(/^[A-Z0-9]{2,8}$/), fc.constantFrom('USDT', 'USDC')).map(([base, q]) => `${base}/${q}:${q}`);

describe('every id ccxt may file a market under', () => {
  it('names the market in every hash form, by unified symbol or by exchange id; request ids and our own ids name none', () => {
    fc.assert(
      fc.property(fc.oneof(bybitId, unified), fc.constantFrom(...HASH_FORMS), (name, form) => {
        expect(symbolOfHash(form.replace('M', name))).toBe(name);
      }),
    );
    fc.assert(
      fc.property(bybitId, fc.constantFrom(...TOPIC_FORMS), (id, form) => {
        expect(symbolOfHash(form.replace('M', id))).toBe(id);
      }),
    );
    for (const hash of ['17', 'leakproof-resync-2-s', 'liquidations', 'authenticated']) expect(symbolOfHash(hash)).toBeUndefined();
  });

  it('purging by unified symbol and exchange id leaves nothing under either, whatever was filed where', () => {
    fc.assert(
      fc.property(bybitId, unified, fc.subarray([...HASH_FORMS, ...TOPIC_FORMS], { minLength: 1 }), fc.boolean(), (id, symbol, forms, byId) => {
        const s = state();
        const client = s.clients['ws']!;
        for (const name of [symbol, id]) {
          s.tickers![name] = {};
          s.ohlcvs![name] = { '1m': [1] };
          s.trades![name] = [1];
          for (const form of forms) client.subscriptions[form.replace('M', name)] = {};
        }
        client.rejections[forms[0]!.replace('M', byId ? id : symbol)] = new Error('refused');
        client.rejections['leakproof-resync-7-s'] = new Error('refused resync');
        purgeProEntries(s, [symbol, id]);
        const c = countProClientState(s);
        expect(entriesUnder(c, [symbol, id])).toBe(0);
        expect(Object.keys(client.rejections).filter((k) => k.startsWith('leakproof-'))).toEqual([]);
        expect(c.bySymbol[B]).toBe(6);
      }),
    );
  });
});
