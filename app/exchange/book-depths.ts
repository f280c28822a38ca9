/**
 * Order-book depths a linear perp's WS book can use: both ccxt and Bybit must accept the depth, or every
 * subscribe fails (ccxt throws BadRequest before sending; Bybit answers "handler not found") and only
 * the REST refresh is left. This file imports no ccxt, so the config schema can use it;
 * `ccxtBookDepths` (book-depths-ccxt.ts) reads ccxt's own list at run time and a test keeps the pin honest.
 */

/** ccxt 4.5.84's bybit watchOrderBookForSymbols list for swap markets ('default'). */
export const CCXT_SWAP_BOOK_DEPTHS = [1, 50, 200, 1000] as const;
/** Bybit v5 `orderbook.{depth}.{symbol}` depths for linear contracts, as its docs give them. */
export const BYBIT_LINEAR_BOOK_DEPTHS = [1, 50, 200, 500] as const;

export function intersect(a: readonly number[], b: readonly number[]): number[] {
  return a.filter((depth) => b.includes(depth));
}

/** The depths the config accepts: those both ccxt can subscribe and Bybit serves. */
export const BOOK_DEPTHS: readonly number[] = intersect(CCXT_SWAP_BOOK_DEPTHS, BYBIT_LINEAR_BOOK_DEPTHS);

export const bookDepthMessage = (allowed: readonly number[]) =>
  `must be one of ${allowed.join(', ')} (the order-book depths both ccxt and Bybit accept for linear perps)`;
