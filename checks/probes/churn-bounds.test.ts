import { describe, expect, it } from 'vitest';
import { emptyKinds, type ProClientState } from '../../app/exchange/pro-client-state.ts';
import { churnOverBounds } from './churn-bounds.ts';

const LIVE = ['A/USDT:USDT', 'B/USDT:USDT'];
const NAMES = { 'A/USDT:USDT': ['A/USDT:USDT', 'AUSDT'], 'B/USDT:USDT': ['B/USDT:USDT', 'BUSDT'], 'GONE/USDT:USDT': ['GONE/USDT:USDT', 'GONEUSDT'] };

function state(byKind: Partial<ProClientState['byKind']>, bySymbol: Record<string, number>): ProClientState {
  const kinds = { ...emptyKinds(), ...byKind };
  const total = Object.values(kinds).reduce((a, b) => a + b, 0);
  return { byKind: kinds, bySymbol, unattributed: 0, total, longest: { ohlcv: 0, trades: 0, bookSide: 0, liquidations: 0 } };
}

describe('churnOverBounds', () => {
  it('is empty when every kind stays within what the live symbols need', () => {
    const s = state({ ohlcvs: 2, tickers: 2, orderbooks: 2, trades: 2, liquidations: 50, subscriptions: 10, futures: 10 }, { [LIVE[0]!]: 20, [LIVE[1]!]: 17, BUSDT: 1 });
    expect(churnOverBounds({ live: LIVE, names: NAMES, state: s, serverSubscriptions: 10 }, 1)).toEqual([]);
  });

  it('names each kind over its bound, the delisted symbols still held under any id and the topics the server still pushes', () => {
    const s = state({ ohlcvs: 3, tickers: 3, subscriptions: 15 }, { [LIVE[0]!]: 10, 'GONE/USDT:USDT': 4, GONEUSDT: 3, 'EMPTY/USDT:USDT': 0 });
    expect(churnOverBounds({ live: LIVE, names: NAMES, state: s, serverSubscriptions: 15 }, 1)).toEqual([
      { what: 'ohlcvs', count: 3, bound: 2 },
      { what: 'tickers', count: 3, bound: 2 },
      { what: 'subscriptions', count: 15, bound: 10 },
      { what: 'entries of symbols not live', count: 7, bound: 0 },
      { what: 'open WS subscriptions', count: 15, bound: 10 },
    ]);
  });
});
