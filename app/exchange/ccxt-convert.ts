import type {
  Candle,
  LiquidationPrint,
  LongShortRatioPoint,
  OpenInterestPoint,
  OrderBookSnapshot,
  TickerSnapshot,
  TradePrint,
} from '../core/market-types.ts';

/**
 * ccxt structures to the manager's shapes. No validation here (the manager does it): missing numbers
 * become NaN so that they fail validation there instead of slipping through as undefined.
 */

type Num = number | undefined | null;

const num = (v: Num): number => (typeof v === 'number' ? v : NaN);
const side = (v: unknown): 'buy' | 'sell' => (v === 'sell' ? 'sell' : 'buy');

export interface CcxtTicker {
  symbol?: string | undefined;
  timestamp?: Num;
  last?: Num;
  bid?: Num;
  ask?: Num;
  baseVolume?: Num;
  quoteVolume?: Num;
}

/** 24h turnover by symbol: Bybit's turnover24h is ccxt's quoteVolume; base volume × last stands in for it. */
export function toTurnovers(tickers: Readonly<Record<string, CcxtTicker>>): Record<string, number> {
  const out: Record<string, number> = {};
  for (const [symbol, t] of Object.entries(tickers)) {
    const turnover = typeof t.quoteVolume === 'number' ? t.quoteVolume : num(t.baseVolume) * num(t.last);
    if (Number.isFinite(turnover)) out[t.symbol ?? symbol] = turnover;
  }
  return out;
}

/** Bybit's REST ticker has no timestamp; the injected clock's now stands in for it. */
export function toTicker(t: CcxtTicker, symbol: string, now: number): TickerSnapshot {
  const out: TickerSnapshot = { symbol: t.symbol ?? symbol, timestamp: t.timestamp ?? now, last: num(t.last) };
  if (typeof t.bid === 'number') out.bid = t.bid;
  if (typeof t.ask === 'number') out.ask = t.ask;
  if (typeof t.baseVolume === 'number') out.baseVolume = t.baseVolume;
  return out;
}

export interface CcxtBook {
  symbol?: string;
  timestamp?: Num;
  bids: ReadonlyArray<ReadonlyArray<Num>>;
  asks: ReadonlyArray<ReadonlyArray<Num>>;
  /** The last applied update id, or RESYNCING while the book waits for a snapshot (book-sequence.ts). */
  nonce?: number | undefined;
}

/**
 * ccxt's book sides subclass Array, so `slice` would construct another OrderBookSide through
 * Symbol.species on every message; a plain loop copies only the levels kept.
 */
export function levels(side: ReadonlyArray<ReadonlyArray<Num>>, depth: number): Array<[number, number]> {
  const out: Array<[number, number]> = [];
  for (let i = 0, n = Math.min(depth, side.length); i < n; i++) out.push([num(side[i]![0]), num(side[i]![1])]);
  return out;
}

export function toBook(b: CcxtBook, symbol: string, depth: number, now: number): OrderBookSnapshot {
  return { symbol, timestamp: b.timestamp ?? now, bids: levels(b.bids, depth), asks: levels(b.asks, depth), boundedAt: depth };
}

export interface CcxtTrade {
  id?: string;
  timestamp?: Num;
  side?: string;
  price?: Num;
  amount?: Num;
}

export function toTrade(t: CcxtTrade): TradePrint {
  const out: TradePrint = { timestamp: num(t.timestamp), side: side(t.side), price: num(t.price), amount: num(t.amount) };
  if (t.id !== undefined) out.id = t.id;
  return out;
}

/** Rows pass through as ccxt parsed them, wrong lengths included: validation counts those. */
export function toCandles(rows: ReadonlyArray<ReadonlyArray<Num>>): Candle[] {
  return rows.map((r) => [...r] as unknown as Candle);
}

export function toOpenInterest(p: { timestamp?: Num; openInterestAmount?: Num }): OpenInterestPoint {
  return { timestamp: num(p.timestamp), openInterestAmount: num(p.openInterestAmount) };
}

export function toLongShort(p: { timestamp?: Num; longShortRatio?: Num }): LongShortRatioPoint {
  return { timestamp: num(p.timestamp), longShortRatio: num(p.longShortRatio) };
}

export interface CcxtLiquidation {
  timestamp?: Num;
  side?: string;
  price?: Num;
  contracts?: Num;
}

export function toLiquidation(l: CcxtLiquidation): LiquidationPrint {
  return { timestamp: num(l.timestamp), side: side(l.side), price: num(l.price), amount: num(l.contracts) };
}
