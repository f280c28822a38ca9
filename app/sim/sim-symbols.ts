import { hash01, hashString, walkMemo, type WalkMemo } from './hash-noise.ts';

export interface SymbolInfo {
  /** Exchange id, e.g. BTCUSDT, or BTCPERP for Bybit's USDC perp. */
  id: string;
  base: string;
  /** Quote and settle coin: USDT perps, or Bybit's USDC perps. */
  quote: 'USDT' | 'USDC';
  key: number;
  basePrice: number;
  decimals: number;
  tick: number;
  baseVolume: number;
  /** 24h turnover (quote), skewed as on a real exchange: rank r gets TOP_TURNOVER / r^ZIPF. */
  turnover: number;
  /** Where the symbol sits in instruments-info and tickers lists, which Bybit does not rank. */
  listKey: number;
  /** Per-path lattice memos: price, open interest, ratio. */
  memo: { price: WalkMemo; oi: WalkMemo; ratio: WalkMemo };
}

/** 24h turnover of the rank-1 symbol. */
export const TOP_TURNOVER = 5e9;
const ZIPF = 1.2;
const FIXED_PRICE: Record<string, number> = { BTC: 60_000, ETH: 3_000 };
/** Turnover ranks of the two majors and of the USDC perps, which an unfiltered top-N would take. */
const FIXED_RANK: Record<string, number> = { BTCUSDT: 1, ETHUSDT: 2, BTCPERP: 3, ETHPERP: 5 };

function usdtNames(count: number): string[] {
  const out = ['BTC', 'ETH'].slice(0, count);
  for (let i = 1; out.length < count; i++) out.push(`SYM${String(i).padStart(3, '0')}`);
  return out;
}

function makeSymbol(seed: number, base: string, quote: SymbolInfo['quote'], rank: number): SymbolInfo {
  const id = quote === 'USDT' ? `${base}USDT` : `${base}PERP`;
  const key = (hashString(id) ^ seed) >>> 0;
  const basePrice = FIXED_PRICE[base] ?? 10 ** (hash01(key, 1, 0) * 4 - 1);
  const decimals = Math.max(0, Math.min(6, 4 - Math.floor(Math.log10(basePrice))));
  const turnover = TOP_TURNOVER / rank ** ZIPF;
  return {
    id,
    base,
    quote,
    key,
    basePrice,
    decimals,
    tick: 10 ** -decimals,
    baseVolume: turnover / basePrice,
    turnover,
    listKey: hash01(key, 4, 0),
    memo: { price: walkMemo(), oi: walkMemo(), ratio: walkMemo() },
  };
}

/**
 * `usdt` USDT perps (BTC, ETH, SYM001, ...) and USDC perps of the first `usdc` of those bases. The
 * majors and the USDC perps have fixed turnover ranks; the others get the remaining ranks in a seeded
 * shuffle, so a symbol's name says nothing about its rank.
 */
export function makeSymbols(seed: number, usdt: number, usdc: number): { usdt: SymbolInfo[]; usdc: SymbolInfo[] } {
  const bases = usdtNames(usdt);
  const usdcBases = bases.slice(0, Math.max(0, Math.min(usdc, 2)));
  const ids = [...bases.map((b) => `${b}USDT`), ...usdcBases.map((b) => `${b}PERP`)];
  const taken = new Set(ids.map((id) => FIXED_RANK[id]).filter((r) => r !== undefined));
  const free = Array.from({ length: ids.length + taken.size }, (_, i) => i + 1).filter((r) => !taken.has(r));
  const shuffled = ids.filter((id) => FIXED_RANK[id] === undefined).sort((a, b) => hash01(seed, 3, hashString(a)) - hash01(seed, 3, hashString(b)));
  const rank = new Map(shuffled.map((id, i) => [id, free[i]!]));
  const rankOf = (id: string) => FIXED_RANK[id] ?? rank.get(id)!;
  return {
    usdt: bases.map((b) => makeSymbol(seed, b, 'USDT', rankOf(`${b}USDT`))),
    usdc: usdcBases.map((b) => makeSymbol(seed, b, 'USDC', rankOf(`${b}PERP`))),
  };
}
