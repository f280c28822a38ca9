/**
 * What ccxt's bybit handlers resolve per message (ccxt 4.5.84, pinned), read as ccxt's own watch*
 * would return it but without its per-message copy of the cache: the rows the message added or
 * changed, counted by the cache's own newUpdates bookkeeping (`getLimit`), taken from the tail. The
 * values are ccxt's structures as its typings declare them (the watch* return types); the guards
 * only catch a ccxt upgrade that changed their shape.
 */
import type { CcxtBook, CcxtLiquidation, CcxtTicker, CcxtTrade } from './ccxt-convert.ts';

type Row = ReadonlyArray<number | undefined | null>;

interface CcxtCache<T> extends Array<T> {
  getLimit(symbol: string | undefined, limit: undefined): number | undefined;
}

const isCache = (v: unknown): v is CcxtCache<unknown> => Array.isArray(v) && typeof (v as Partial<CcxtCache<unknown>>).getLimit === 'function';
const isObject = (v: unknown): v is object => typeof v === 'object' && v !== null;

function unexpected(kind: string): never {
  throw new TypeError(`ccxt resolved an unexpected ${kind} value`);
}

/**
 * The rows of `cache` that changed since the last read, oldest first. A loop, not `slice`: ccxt's
 * caches subclass Array, so `slice` would construct another cache through Symbol.species.
 */
function newRows<T>(cache: CcxtCache<unknown>, symbol: string, keep: (v: unknown) => v is T): T[] {
  const n = Math.min(cache.getLimit(symbol, undefined) ?? cache.length, cache.length);
  const out: T[] = [];
  for (let i = cache.length - n; i < cache.length; i++) {
    const row = cache[i];
    if (keep(row)) out.push(row);
  }
  return out;
}

const isRow = (v: unknown): v is Row => Array.isArray(v);

/** handleOHLCV resolves [symbol, timeframe, ArrayCacheByTimestamp]. */
export function ohlcvUpdate(value: unknown, symbol: string): Row[] {
  if (!Array.isArray(value) || !isCache(value[2])) unexpected('ohlcv');
  return newRows(value[2], symbol, isRow);
}

/** handleTrades resolves the symbol's ArrayCache of trades. */
export function tradesUpdate(value: unknown, symbol: string): CcxtTrade[] {
  if (!isCache(value)) unexpected('trades');
  return newRows(value, symbol, (v): v is CcxtTrade => isObject(v));
}

export function tickerUpdate(value: unknown): CcxtTicker {
  if (!isObject(value)) unexpected('ticker');
  return value as CcxtTicker;
}

/** handleOrderBook resolves ccxt's OrderBook, whose sides subclass Array. */
export function bookUpdate(value: unknown): CcxtBook {
  if (!isObject(value) || !Array.isArray((value as Partial<CcxtBook>).bids) || !Array.isArray((value as Partial<CcxtBook>).asks)) unexpected('order book');
  return value as CcxtBook;
}

/** handleLiquidation resolves [liquidation], once per liquidation. */
export function liquidationsUpdate(value: unknown): CcxtLiquidation[] {
  if (!Array.isArray(value)) unexpected('liquidations');
  return value.filter((v): v is CcxtLiquidation => isObject(v));
}
