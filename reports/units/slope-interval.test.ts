import { describe, expect, it } from 'vitest';
import { normalQuantile, slopeInterval, tQuantile } from './slope-interval.ts';

describe('tQuantile', () => {
  // Two-sided 95% critical values from the Student t table.
  it.each([
    [1, 12.7062],
    [2, 4.3027],
    [3, 3.1824],
    [5, 2.5706],
    [10, 2.2281],
    [30, 2.0423],
    [120, 1.9799],
  ])('t(0.975, %d) = %d', (df, t) => expect(Math.abs(tQuantile(0.975, df) - t) / t).toBeLessThan(0.002));

  it('meets the normal quantile as the degrees of freedom grow', () => {
    expect(normalQuantile(0.975)).toBeCloseTo(1.959964, 6);
    expect(normalQuantile(0.01)).toBeCloseTo(-2.326348, 6);
    expect(tQuantile(0.975, 1e6)).toBeCloseTo(1.959964, 4);
  });

  it('refuses what has no quantile', () => {
    expect(() => normalQuantile(1)).toThrow(RangeError);
    expect(() => tQuantile(0.975, 0)).toThrow(RangeError);
  });
});

describe('slopeInterval', () => {
  it('fits an exact line with a zero-width interval', () => {
    const s = slopeInterval([0, 1, 2, 3].map((x) => ({ x, y: 1 + 2 * x })))!;
    expect(s.slope).toBeCloseTo(2, 12);
    expect(s.hi - s.lo).toBeCloseTo(0, 12);
  });

  it('matches a worked example: slope 0.8, standard error sqrt(0.3)/sqrt(5)', () => {
    // y = 0, 2, 1, 3 at x = 0..3: residuals -0.3, 0.9, -0.9, 0.3, SSE 1.8, s^2 = 0.9, Sxx = 5.
    const s = slopeInterval([0, 2, 1, 3].map((y, x) => ({ x, y })))!;
    expect(s.slope).toBeCloseTo(0.8, 12);
    expect(s.se).toBeCloseTo(Math.sqrt(0.9 / 5), 12);
    expect(s.hi - s.slope).toBeCloseTo(4.3027 * Math.sqrt(0.9 / 5), 3);
    expect(s.n).toBe(4);
  });

  it('is null without three points or two distinct x', () => {
    expect(slopeInterval([{ x: 0, y: 0 }, { x: 1, y: 1 }])).toBeNull();
    expect(slopeInterval([{ x: 1, y: 0 }, { x: 1, y: 1 }, { x: 1, y: 2 }])).toBeNull();
  });
});
