import { describe, expect, it } from 'vitest';
import { rankUniverse, symbolParts, type RankRules } from './rank-universe.ts';

const rules: RankRules = { topN: 3, quote: 'USDT', settle: 'USDT', rankMargin: 1 };
const usdt = (base: string) => `${base}/USDT:USDT`;
const LISTED = ['A', 'B', 'C', 'D', 'E'].map(usdt);

describe('rankUniverse', () => {
  it('takes the topN by 24h turnover, not the listing order', () => {
    const turnover = { [usdt('A')]: 1, [usdt('B')]: 50, [usdt('C')]: 5, [usdt('D')]: 900, [usdt('E')]: 20 };
    expect(rankUniverse(LISTED, turnover, new Set(), rules)).toEqual([usdt('D'), usdt('B'), usdt('E')]);
  });

  it('leaves USDC perps (and spot) out unless the rules take them', () => {
    const listed = ['BTC/USDC:USDC', usdt('A'), 'ETH/USDC:USDC', usdt('B'), 'BTC/USDT'];
    const turnover = { 'BTC/USDC:USDC': 1e9, 'ETH/USDC:USDC': 1e8, [usdt('A')]: 10, [usdt('B')]: 20, 'BTC/USDT': 1e10 };
    expect(rankUniverse(listed, turnover, new Set(), rules)).toEqual([usdt('B'), usdt('A')]);
    expect(rankUniverse(listed, turnover, new Set(), { ...rules, quote: 'USDC', settle: 'USDC' })).toEqual(['BTC/USDC:USDC', 'ETH/USDC:USDC']);
    expect(rankUniverse(listed, turnover, new Set(), { ...rules, quote: 'any', settle: 'any' })).toEqual(['BTC/USDT', 'BTC/USDC:USDC', 'ETH/USDC:USDC']);
  });

  it('does not flap: an incumbent that slips to topN + margin stays, one beyond is replaced', () => {
    let current = new Set<string>();
    const history: string[][] = [];
    // D and E swap 3rd and 4th place at every re-rank; A and B stay on top.
    for (let i = 0; i < 6; i++) {
      const turnover = { [usdt('A')]: 100, [usdt('B')]: 90, [usdt('C')]: 1, [usdt('D')]: i % 2 ? 50 : 51, [usdt('E')]: i % 2 ? 51 : 50 };
      current = new Set(rankUniverse(LISTED, turnover, current, rules));
      history.push([...current].sort());
    }
    expect(new Set(history.map((h) => h.join()))).toEqual(new Set([[usdt('A'), usdt('B'), usdt('D')].join()]));
    // Without a margin the same re-ranks flap every time.
    let flapping = new Set<string>();
    const flaps = new Set<string>();
    for (let i = 0; i < 6; i++) {
      const turnover = { [usdt('A')]: 100, [usdt('B')]: 90, [usdt('C')]: 1, [usdt('D')]: i % 2 ? 50 : 51, [usdt('E')]: i % 2 ? 51 : 50 };
      flapping = new Set(rankUniverse(LISTED, turnover, flapping, { ...rules, rankMargin: 0 }));
      flaps.add([...flapping].sort().join());
    }
    expect(flaps.size).toBe(2);
    // An incumbent that falls past topN + margin goes.
    const fell = rankUniverse(LISTED, { [usdt('A')]: 100, [usdt('B')]: 90, [usdt('C')]: 80, [usdt('E')]: 70, [usdt('D')]: 1 }, new Set([usdt('A'), usdt('B'), usdt('D')]), rules);
    expect(fell).toEqual([usdt('A'), usdt('B'), usdt('C')]);
  });

  it('drops a delisted incumbent, however high it ranked', () => {
    const turnover = { [usdt('A')]: 1e9, [usdt('B')]: 3, [usdt('C')]: 2, [usdt('D')]: 1 };
    const listed = [usdt('B'), usdt('C'), usdt('D')];
    expect(rankUniverse(listed, turnover, new Set([usdt('A'), usdt('B'), usdt('C')]), rules)).toEqual([usdt('B'), usdt('C'), usdt('D')]);
  });

  it('without turnovers takes the listing order, and holds no incumbent by position', () => {
    expect(rankUniverse(LISTED, {}, new Set(), rules)).toEqual(LISTED.slice(0, 3));
    expect(rankUniverse(LISTED.slice(1), {}, new Set(LISTED.slice(0, 3)), rules)).toEqual(LISTED.slice(1, 4));
    expect(rankUniverse([usdt('D'), usdt('E'), usdt('A'), usdt('B')], {}, new Set([usdt('A'), usdt('B')]), rules)).toEqual([usdt('D'), usdt('E'), usdt('A')]);
  });

  it('reads quote and settle from unified symbols', () => {
    expect(symbolParts('BTC/USDT:USDT')).toEqual({ quote: 'USDT', settle: 'USDT' });
    expect(symbolParts('BTC/USDT')).toEqual({ quote: 'USDT', settle: undefined });
    expect(symbolParts('nonsense')).toEqual({ quote: undefined, settle: undefined });
  });
});
