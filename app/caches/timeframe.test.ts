import { describe, expect, it } from 'vitest';
import { isOnTimeframeGrid, parseTimeframe, timeframeMs } from './timeframe.ts';

const grid = (ts: number, tf: string) => isOnTimeframeGrid(ts, parseTimeframe(tf)!);

describe('timeframeMs', () => {
  it('parses ccxt timeframe strings', () => {
    expect(timeframeMs('1m')).toBe(60_000);
    expect(timeframeMs('5m')).toBe(300_000);
    expect(timeframeMs('1h')).toBe(3_600_000);
    expect(timeframeMs('4h')).toBe(14_400_000);
    expect(timeframeMs('1d')).toBe(86_400_000);
    expect(timeframeMs('1w')).toBe(604_800_000);
    expect(timeframeMs('30s')).toBe(30_000);
  });

  it('returns undefined for anything else, without throwing', () => {
    for (const bad of ['', 'm', '0m', '1x', '1 m', '01m', '1m ', '-1m', '99999m']) expect(timeframeMs(bad)).toBeUndefined();
    expect(timeframeMs(undefined as unknown as string)).toBeUndefined();
    expect(timeframeMs(42 as unknown as string)).toBeUndefined();
  });
});

describe('isOnTimeframeGrid', () => {
  it('checks minute, hour and day boundaries in UTC', () => {
    expect(grid(Date.UTC(2024, 0, 2, 3, 5), '5m')).toBe(true);
    expect(grid(Date.UTC(2024, 0, 2, 3, 6), '5m')).toBe(false);
    expect(grid(Date.UTC(2024, 0, 2, 4), '4h')).toBe(true);
    expect(grid(Date.UTC(2024, 0, 2, 3), '4h')).toBe(false);
    expect(grid(Date.UTC(2024, 0, 2, 0, 0, 0, 1), '1m')).toBe(false);
  });

  it('starts weeks on Monday and months on the 1st', () => {
    expect(grid(Date.UTC(2024, 0, 1), '1w')).toBe(true); // a Monday
    expect(grid(Date.UTC(2024, 0, 4), '1w')).toBe(false); // a Thursday, like the epoch
    expect(grid(Date.UTC(2024, 1, 1), '1M')).toBe(true);
    expect(grid(Date.UTC(2024, 1, 2), '1M')).toBe(false);
  });
});
