import { describe, expect, it } from 'vitest';
import { slopeInterval, tQuantile } from './slope-interval.ts';

describe('tQuantile', () => {
  // Two-sided 95% critical values from the Student t table (4 decimals).
  it.each([
    [1, 12.7062],
    [2, 4.3027],
    [3, 3.1824],
    [5, 2.5706],
    [10, 2.2281],
    [30, 2.0423],
    [120, 1.9799],
  ])('t(0.975, %d) = %d', (df, t) => expect(tQuantile(0.975, df)).toBeCloseTo(t, 4));

  // t(0.975, df) as the hand-written Cornish-Fisher expansion it replaced gave it (printed before the swap):
  // the soak's intervals move by at most 0.12% (df 3) and by < 4e-6 from df 10 on, so no verdict changes.
  it.each([
    [3, 3.1786169998396856, 0.0013],
    [4, 2.7755822278412103, 0.0004],
    [5, 2.570308230193124, 0.00011],
    [10, 2.228130898990972, 4e-6],
    [20, 2.085963210244, 1e-7],
    [120, 1.9799304066747898, 1e-7],
  ])('agrees with the replaced expansion at df %d', (df, before, rel) =>
    expect(Math.abs(tQuantile(0.975, df) / before - 1)).toBeLessThan(rel),
  );

  it('meets the normal quantile as the degrees of freedom grow', () => {
    expect(tQuantile(0.975, 1e6)).toBeCloseTo(1.959964, 4);
  });

  it('refuses what has no quantile', () => {
    expect(() => tQuantile(0.975, 0)).toThrow(RangeError);
    expect(() => tQuantile(1, 5)).toThrow(RangeError);
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
