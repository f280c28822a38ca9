import { describe, expect, it } from 'vitest';
import { componentAges } from './data-ages.ts';

describe('componentAges', () => {
  it('gives each component the age of its freshest and its stalest symbol, and leaves out components with no data', () => {
    const ages = componentAges(100_000, {
      ticker: [['A', 99_000], ['B', 40_000], ['C', undefined]],
      trades: [],
    });
    expect(ages).toEqual({ ticker: { newestSeconds: 1, stalestSeconds: 60, stalest: 'B', symbols: 2 } });
  });
});
