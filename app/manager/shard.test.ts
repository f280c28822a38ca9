import { describe, expect, it } from 'vitest';
import { shardOf, shardSymbols, symbolHash } from './shard.ts';

const SYMBOLS = Array.from({ length: 2000 }, (_, i) => `S${i.toString(36).toUpperCase()}/USDT:USDT`);
const shards = (count: number, symbols: readonly string[] = SYMBOLS) => Array.from({ length: count }, (_, index) => shardSymbols(symbols, { index, count }));

describe('shard assignment', () => {
  it.each([1, 2, 3, 5, 8])('puts every symbol in exactly one of %i shards, roughly evenly', (count) => {
    const parts = shards(count);
    const all = parts.flat();
    expect(all).toHaveLength(SYMBOLS.length);
    expect(new Set(all)).toEqual(new Set(SYMBOLS));
    const even = SYMBOLS.length / count;
    for (const part of parts) expect(Math.abs(part.length - even)).toBeLessThan(even * 0.15);
  });

  it('depends only on the symbol and the count: not on order, neighbours or process', () => {
    const reversed = [...SYMBOLS].reverse();
    const half = SYMBOLS.filter((_, i) => i % 2 === 0);
    for (let index = 0; index < 3; index++) {
      const mine = new Set(shardSymbols(SYMBOLS, { index, count: 3 }));
      expect(new Set(shardSymbols(reversed, { index, count: 3 }))).toEqual(mine);
      expect(shardSymbols(half, { index, count: 3 })).toEqual(half.filter((s) => mine.has(s)));
    }
    // Pinned: a hash that changed between releases would move symbols between running shards.
    expect(['BTC/USDT:USDT', 'ETH/USDT:USDT', 'SOL/USDT:USDT'].map(symbolHash)).toEqual([96_680_083, 2_403_436_053, 380_105_120]);
  });

  it('keeps the given order within a shard', () => {
    const part = shardSymbols(SYMBOLS, { index: 1, count: 4 });
    expect(part).toEqual(SYMBOLS.filter((s) => shardOf(s, 4) === 1));
  });
});
