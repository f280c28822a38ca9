import { describe, expect, it } from 'vitest';
import { growthMbPerMin, judgeSoak, leastSquaresSlope } from './growth.ts';

describe('leastSquaresSlope', () => {
  it.each([
    [[{ x: 0, y: 1 }, { x: 1, y: 3 }, { x: 2, y: 5 }], 2],
    [[{ x: 0, y: 5 }, { x: 1, y: 5 }], 0],
    [[{ x: 0, y: 0 }, { x: 1, y: 2 }, { x: 2, y: 1 }, { x: 3, y: 3 }], 0.8],
    [[{ x: 0, y: 4 }, { x: 2, y: 0 }], -2],
  ])('%j -> %d', (points, slope) => expect(leastSquaresSlope(points)).toBeCloseTo(slope, 10));

  it('is null without two distinct x', () => {
    expect(leastSquaresSlope([{ x: 1, y: 1 }])).toBeNull();
    expect(leastSquaresSlope([{ x: 1, y: 1 }, { x: 1, y: 9 }])).toBeNull();
  });
});

describe('growthMbPerMin', () => {
  it('ignores the warm-up and converts to per minute', () => {
    // A startup jump of 50 MB in the first 2 s, then a steady 0.5 MB/s.
    const samples = Array.from({ length: 21 }, (_, i) => {
      const tS = i * 0.5;
      return { tS, rssMb: tS < 2 ? 50 * tS : 100 + 0.5 * (tS - 2), heapMb: 10, retainedMb: 10 };
    });
    expect(growthMbPerMin(samples, 2, 'rssMb')).toBeCloseTo(30, 6);
    expect(growthMbPerMin(samples, 2, 'heapMb')).toBeCloseTo(0, 6);
    expect(growthMbPerMin(samples, 0, 'rssMb')).toBeGreaterThan(30);
    expect(growthMbPerMin(samples, 100, 'rssMb')).toBe(0);
  });
});

describe('judgeSoak', () => {
  it.each([
    [1, 20, 10, true, 20],
    [1, 9, 10, false, 9],
    [0.01, 5, 10, true, 50],
    [-3, 5, 10, true, 50],
    [0, 0.5, 10, false, 5],
    [0, -1, 10, false, null],
  ])('real %d, before %d, bar %d -> ok %s ratio %s', (real, before, bar, ok, ratio) => {
    const j = judgeSoak(real, before, bar);
    expect(j.ok).toBe(ok);
    if (ratio === null) expect(j.ratio).toBeNull();
    else expect(j.ratio).toBeCloseTo(ratio, 6);
  });
});
