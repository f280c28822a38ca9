import { describe, expect, it } from 'vitest';
import { BOOK_DEPTHS, CCXT_SWAP_BOOK_DEPTHS } from './book-depths.ts';
import { ccxtBookDepths } from './book-depths-ccxt.ts';
import { createCcxtSource } from './ccxt-source.ts';

describe('order-book depths', () => {
  it("the pinned list is ccxt's own, read from ccxt at run time", async () => {
    expect(await ccxtBookDepths()).toEqual([...CCXT_SWAP_BOOK_DEPTHS]);
  });

  it('the source refuses a depth outside what ccxt and Bybit both accept, naming the allowed ones', () => {
    expect(BOOK_DEPTHS).toEqual([1, 50, 200]);
    expect(() => createCcxtSource({ orderBookDepth: 20, restBaseUrl: 'http://127.0.0.1:9', wsUrl: 'ws://127.0.0.1:9/v5/public/linear' })).toThrow(
      'orderBookDepth must be one of 1, 50, 200 (the order-book depths both ccxt and Bybit accept for linear perps), got 20',
    );
  });
});
