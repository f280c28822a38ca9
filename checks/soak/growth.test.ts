import { describe, expect, it } from 'vitest';
import type { SoakSample } from '../../reports/schemas/qa-result.ts';
import { growthPerSimHour, judgeCcxtBound, judgeSoak } from './growth.ts';

const sample = (simH: number, retainedMb: number, ccxtSymbols = 10): SoakSample => ({
  tS: simH * 7,
  simH,
  messages: simH * 2400,
  rssMb: 300,
  heapMb: retainedMb,
  retainedMb,
  tracked: 10,
  ccxtSymbols,
  ccxtEntries: ccxtSymbols * 8,
});
const interval = (slope: number, half: number) => ({ slope, se: half / 2, lo: slope - half, hi: slope + half, n: 20 });

describe('growthPerSimHour', () => {
  it('leaves the warm-up out and fits per simulated hour, whatever the wall time', () => {
    // A 40 MB jump while caches fill in the first hour, then a steady 3 MB per simulated hour.
    const samples = Array.from({ length: 13 }, (_, i) => i / 2).map((h) => sample(h, h < 1 ? 70 + 40 * h : 110 + 3 * (h - 1)));
    const g = growthPerSimHour(samples, 1, 'retainedMb')!;
    expect(g.slope).toBeCloseTo(3, 9);
    expect(g.se).toBeCloseTo(0, 9);
    expect(g.n).toBe(11);
    expect(growthPerSimHour(samples, 0, 'retainedMb')!.slope).toBeGreaterThan(3);
    expect(growthPerSimHour(samples, 6, 'retainedMb')).toBeNull();
  });
});

describe('judgeSoak', () => {
  it.each([
    ['clear leak, flat real', interval(9, 0.2), interval(0.1, 0.1), true, 18],
    ['leak whose lower bound misses 10x the real upper bound', interval(9, 0.2), interval(0.7, 0.2), false, 9 / 0.7],
    ['real below the floor: the floor is the bar', interval(5.5, 0.4), interval(-0.3, 0.2), true, 11],
    ['a wide interval cannot pass on its slope alone', interval(9, 5), interval(0.1, 0.1), false, 18],
    ['fix-removed that did not grow', interval(1, 0.5), interval(0, 0.1), false, 2],
  ])('%s', (_name, before, real, ok, ratio) => {
    const j = judgeSoak(real, before, 10);
    expect(j.ok).toBe(ok);
    expect(j.ratio).toBeCloseTo(ratio, 6);
  });

  it('names what is missing', () => {
    expect(judgeSoak(null, interval(9, 1), 10).message).toMatch(/too few samples/);
    expect(judgeSoak(interval(0, 0.1), interval(1, 0.5), 10).message).toMatch(/did not clearly grow/);
    expect(judgeSoak(interval(0.7, 0.2), interval(9, 0.2), 10).message).toMatch(/lower bound 8\.80 is below 10× the real build's bound, 9\.00/);
    expect(judgeSoak(interval(0, -0), interval(-1, 0.1), 10).ratio).toBeNull();
  });
});

describe('judgeCcxtBound', () => {
  it('holds while ccxt keeps state only for tracked symbols after the warm-up', () => {
    expect(judgeCcxtBound([sample(0.5, 1, 15), sample(1, 1), sample(2, 1)], 1).ok).toBe(true);
  });

  it('fails at the worst sample past the live universe', () => {
    const j = judgeCcxtBound([sample(1, 1, 12), sample(2, 1, 17), sample(3, 1, 11)], 1);
    expect(j.ok).toBe(false);
    expect(j.message).toMatch(/^ccxt holds client state for 17 symbols at 2\.00 simulated hours, more than the 10/);
  });
});
