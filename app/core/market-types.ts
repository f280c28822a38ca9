/**
 * The shapes that flow from an exchange source into the manager's caches. Kept free of ccxt's own
 * types so that caches, checks and benchmarks do not pay ccxt's import cost.
 */

/** [timestamp ms, open, high, low, close, volume], as ccxt returns OHLCV rows. */
export type Candle = [number, number, number, number, number, number];

/** ccxt timeframe strings: 1m, 5m, 15m, 30m, 1h, 4h, 1d, ... */
export type Timeframe = string;

export interface TickerSnapshot {
  symbol: string;
  timestamp: number;
  last: number;
  bid?: number;
  ask?: number;
  baseVolume?: number;
}

export interface OrderBookSnapshot {
  readonly symbol: string;
  readonly timestamp: number;
  readonly bids: ReadonlyArray<readonly [number, number]>;
  readonly asks: ReadonlyArray<readonly [number, number]>;
  /** Set when the source already holds each side to at most this many levels: the store need not trim. */
  readonly boundedAt?: number;
  /** True while the stream behind the book lost its sequence and waits for a snapshot: the levels are old. */
  readonly stale?: boolean;
}

export interface TradePrint {
  id?: string;
  timestamp: number;
  side: 'buy' | 'sell';
  price: number;
  amount: number;
}

export interface OpenInterestPoint {
  timestamp: number;
  openInterestAmount: number;
}

export interface LongShortRatioPoint {
  timestamp: number;
  longShortRatio: number;
}

export interface LiquidationPrint {
  timestamp: number;
  side: 'buy' | 'sell';
  price: number;
  amount: number;
}

export type Component =
  | 'ticker'
  | 'orderbook'
  | 'trades'
  | 'ohlcv'
  | 'openInterest'
  | 'openInterestHistory'
  | 'longShortRatio'
  | 'liquidations';
