import { describe, expect, it } from 'vitest';
import type { MarketSource } from '../../app/exchange/market-source.ts';
import { rotatingSource } from './rotating-source.ts';

describe('rotatingSource', () => {
  it('shifts the symbol list by step on each call and passes everything else through', async () => {
    const inner = {
      name: 'inner',
      loadSymbols: async () => ['A', 'B', 'C', 'D', 'E'],
      fetchTicker(this: { name: string }) {
        return this.name;
      },
    } as unknown as MarketSource & { name: string };
    const rotating = rotatingSource(inner, 2);
    expect(await rotating.loadSymbols()).toEqual(['A', 'B', 'C', 'D', 'E']);
    expect(await rotating.loadSymbols()).toEqual(['C', 'D', 'E', 'A', 'B']);
    expect(await rotating.loadSymbols()).toEqual(['E', 'A', 'B', 'C', 'D']);
    expect((rotating as unknown as { fetchTicker(): string }).fetchTicker()).toBe('inner');
  });
});
