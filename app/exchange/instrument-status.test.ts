import { describe, expect, it } from 'vitest';
import { statusesFromPage } from './instrument-status.ts';

/** Bybit v5 instruments-info, trimmed from its documented linear example. */
const reply = (list: Array<{ symbol: string; status: string }>, nextPageCursor: string) => ({
  retCode: 0,
  retMsg: 'OK',
  result: { category: 'linear', list: list.map((i) => ({ ...i, contractType: 'LinearPerpetual', baseCoin: i.symbol.replace('USDT', ''), quoteCoin: 'USDT', settleCoin: 'USDT' })), nextPageCursor },
  retExtInfo: {},
  time: 1_700_000_000_000,
});
const IDS = new Map([
  ['BTC/USDT:USDT', 'BTCUSDT'],
  ['DOGE/USDT:USDT', 'DOGEUSDT'],
  ['PEPE/USDT:USDT', '1000PEPEUSDT'],
]);

describe('instrument statuses from one instruments-info page', () => {
  it('reads each listed status, and calls a symbol missing from a complete page Absent', () => {
    const page = reply([{ symbol: 'BTCUSDT', status: 'Trading' }, { symbol: '1000PEPEUSDT', status: 'Settling' }], '');
    expect(statusesFromPage(page, IDS)).toEqual({ 'BTC/USDT:USDT': 'Trading', 'DOGE/USDT:USDT': 'Absent', 'PEPE/USDT:USDT': 'Settling' });
  });

  it('says nothing of a symbol a partial page (with a next cursor) leaves out', () => {
    const page = reply([{ symbol: 'BTCUSDT', status: 'Trading' }], 'eyJwYWdlIjoyfQ==');
    expect(statusesFromPage(page, IDS)).toEqual({ 'BTC/USDT:USDT': 'Trading' });
  });

  it('rejects a reply that is not an instruments-info page', () => {
    expect(() => statusesFromPage({ retCode: 10001, retMsg: 'params error', result: {} }, IDS)).toThrow();
  });
});
