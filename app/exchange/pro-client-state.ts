/**
 * ccxt pro keeps per-symbol state of its own (caches, subscriptions, futures, stored rejections). The
 * manager's bounds mean nothing if these grow: this counts them, for the tests, the QA probe and the
 * soak; app/exchange/pro-cache.ts purges them at eviction.
 */

interface WsClientState {
  subscriptions: Record<string, unknown>;
  futures: Record<string, unknown>;
  /** Rejections of hashes nobody awaited yet; ccxt stores one per unsubscribed hash without a future. */
  rejections?: Record<string, unknown>;
  reject?(error: Error, messageHash?: string): void;
}

interface LiquidationCache extends Array<{ symbol?: string }> {
  clear(): void;
  append(item: { symbol?: string }): void;
}

/** The fields of a ccxt pro instance that hold per-symbol state; a `ccxt.pro.bybit` satisfies it. */
export interface ProState {
  ohlcvs?: Record<string, Record<string, unknown> | undefined>;
  trades?: Record<string, unknown>;
  orderbooks?: Record<string, { bids?: ArrayLike<unknown>; asks?: ArrayLike<unknown> } | undefined>;
  tickers?: Record<string, unknown>;
  bidsasks?: Record<string, unknown>;
  liquidations?: LiquidationCache;
  clients?: Record<string, WsClientState>;
}

export const PER_SYMBOL_MAPS = ['trades', 'orderbooks', 'tickers', 'bidsasks'] as const;
const CLIENT_MAPS = ['subscriptions', 'futures', 'rejections'] as const;

export type ProStateKind = 'ohlcvs' | (typeof PER_SYMBOL_MAPS)[number] | 'liquidations' | (typeof CLIENT_MAPS)[number];

export interface ProClientState {
  /** Entries over all symbols: one per cache (ohlcvs: per symbol and timeframe), row or hash. */
  byKind: Record<ProStateKind, number>;
  /**
   * Entries attributed to each market name, in any kind. A name is a unified symbol or a bare exchange
   * id: ccxt files a message under `DOGEUSDT` once its market table no longer has DOGE/USDT:USDT.
   */
  bySymbol: Record<string, number>;
  /** Hashes that name no market (e.g. `liquidations`, `authenticated`, a request id). */
  unattributed: number;
  total: number;
  /** Rows of the longest cache of each kind: ccxt's limits, and the book depth, must bound them. */
  longest: { ohlcv: number; trades: number; bookSide: number; liquidations: number };
}

const rows = (v: unknown): number => (Array.isArray(v) ? v.length : 0);

export function emptyKinds(): Record<ProStateKind, number> {
  return { ohlcvs: 0, trades: 0, orderbooks: 0, tickers: 0, bidsasks: 0, liquidations: 0, subscriptions: 0, futures: 0, rejections: 0 };
}

/** A unified symbol inside a message hash: `ticker:SYM`, `ohlcv::SYM::1m`, `unsubscribe:trade:SYM`. */
const SYMBOL_IN_HASH = /[^:/]+\/[^:/]+(?::[^:/]+)?/;
/** The words, intervals and depths around a market id in ccxt's bybit hashes and topics (`kline.1.X`, `orderbook.50.X`). */
const NOT_AN_ID = /^(?:\d+|\d+[smhdwM]|[DWM])$/;
/** Bybit ids are upper-case letters and digits (BTCUSDT, BTCPERP, 1000PEPEUSDT); ccxt's words are not. */
const EXCHANGE_ID = /^[A-Z0-9]*[A-Z][A-Z0-9]*$/;

/**
 * The market a message hash names: a unified symbol (`ticker:DOGE/USDT:USDT`), or the bare exchange id
 * ccxt falls back to once the market is gone from its table (`ticker:DOGEUSDT`, `ohlcv::DOGEUSDT::1m`).
 * Request ids (`17`), our own ids (`leakproof-…`) and hashes such as `liquidations` name none.
 */
export function symbolOfHash(hash: string): string | undefined {
  const unified = SYMBOL_IN_HASH.exec(hash)?.[0];
  if (unified !== undefined) return unified;
  const ids = hash.split(/[:.]+/).filter((part) => EXCHANGE_ID.test(part) && !NOT_AN_ID.test(part));
  return ids.length === 1 ? ids[0] : undefined;
}

/** The entries held under any of `names` (a symbol's unified form and its exchange id). */
export function entriesUnder(state: ProClientState, names: readonly string[]): number {
  return names.reduce((n, name) => n + (state.bySymbol[name] ?? 0), 0);
}

/** Counts ccxt pro's per-symbol client state of one exchange instance; pure, it only reads. */
export function countProClientState(ex: ProState): ProClientState {
  const byKind = emptyKinds();
  const bySymbol: Record<string, number> = {};
  let unattributed = 0;
  const add = (kind: ProStateKind, symbol: string | undefined, n = 1) => {
    byKind[kind] += n;
    if (symbol === undefined) unattributed += n;
    else bySymbol[symbol] = (bySymbol[symbol] ?? 0) + n;
  };
  // An emptied symbol entry still counts: ccxt's cleanCache leaves `ohlcvs[symbol] = {}` behind.
  for (const [symbol, byTf] of Object.entries(ex.ohlcvs ?? {})) add('ohlcvs', symbol, Math.max(1, Object.keys(byTf ?? {}).length));
  for (const kind of PER_SYMBOL_MAPS) for (const symbol of Object.keys(ex[kind] ?? {})) add(kind, symbol);
  for (const row of ex.liquidations ?? []) add('liquidations', row.symbol);
  for (const client of Object.values(ex.clients ?? {})) {
    for (const kind of CLIENT_MAPS) for (const hash of Object.keys(client[kind] ?? {})) add(kind, symbolOfHash(hash));
  }
  const total = Object.values(byKind).reduce((a, b) => a + b, 0);
  const longest = { ohlcv: 0, trades: 0, bookSide: 0, liquidations: rows(ex.liquidations) };
  for (const byTf of Object.values(ex.ohlcvs ?? {})) for (const cache of Object.values(byTf ?? {})) longest.ohlcv = Math.max(longest.ohlcv, rows(cache));
  for (const cache of Object.values(ex.trades ?? {})) longest.trades = Math.max(longest.trades, rows(cache));
  for (const book of Object.values(ex.orderbooks ?? {})) longest.bookSide = Math.max(longest.bookSide, book?.bids?.length ?? 0, book?.asks?.length ?? 0);
  return { byKind, bySymbol, unattributed, total, longest };
}

export function countProEntries(ex: ProState, names: readonly string[]): number {
  return entriesUnder(countProClientState(ex), names);
}
