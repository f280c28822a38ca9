import { describe, expect, it } from 'vitest';
import { median, medianOrNull, percentile } from './measure.ts';

describe('bench statistics', () => {
  it('percentile is nearest-rank over unsorted input', () => {
    const values = [5, 1, 4, 2, 3, 100, 6, 7, 8, 9];
    expect(percentile(values, 99)).toBe(100);
    expect(percentile(values, 90)).toBe(9);
    expect(percentile(values, 10)).toBe(1);
    expect(median([3, 1, 2])).toBe(2);
    expect(values[0]).toBe(5);
    expect(Number.isNaN(percentile([], 50))).toBe(true);
  });

  it('medianOrNull ignores missing values and is null when all are missing', () => {
    expect(medianOrNull([null, 4, null, 2, 9])).toBe(4);
    expect(medianOrNull([null, null])).toBeNull();
  });
});
