import { describe, expect, it } from 'vitest';
import { effectiveWarmupMs, growthMbPerMin } from './memory-watch.ts';

describe('growthMbPerMin', () => {
  it('fits the slope after the warm-up', () => {
    const samples = [0, 30, 60, 90, 120].map((tS) => ({ tS, mb: tS === 0 ? 500 : 100 + tS / 6, nRestarts: 0 }));
    expect(growthMbPerMin(samples, 30)).toBeCloseTo(10, 5);
  });
  it('is null with too few points', () => {
    expect(growthMbPerMin([{ tS: 40, mb: 1, nRestarts: 0 }], 30)).toBeNull();
  });
});

describe('effectiveWarmupMs', () => {
  it('keeps the configured warm-up inside a long window', () => {
    expect(effectiveWarmupMs(30_000, 600_000)).toBe(30_000);
  });
  it('caps it at half a short window, so a 20 s watch still judges growth', () => {
    expect(effectiveWarmupMs(30_000, 20_000)).toBe(10_000);
  });
});
