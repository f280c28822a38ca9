import ccxt from 'ccxt';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { BYBIT_TIMEFRAMES, BYBIT_TIMEFRAME_NAMES, isOnTimeframeGrid, parseTimeframe, timeframeMs, type ParsedTimeframe } from './timeframe.ts';

const parsed = (tf: string): ParsedTimeframe => {
  const p = parseTimeframe(tf);
  if (p === undefined) throw new Error(`${tf} should parse`);
  return p;
};
const grid = (ts: number, tf: string) => isOnTimeframeGrid(ts, parsed(tf));

/** ccxt bybit's own unified → interval map, the source of truth for "what Bybit serves". */
const ccxtBybitTimeframes: unknown = new ccxt.bybit().timeframes;

describe('the timeframe table', () => {
  it("is ccxt bybit's own timeframes map, interval for interval", () => {
    const ours = Object.fromEntries(Object.entries(BYBIT_TIMEFRAMES).map(([tf, { interval }]) => [tf, interval]));
    expect(ours).toEqual(ccxtBybitTimeframes);
  });

  it("gives every timeframe the length ccxt's parseTimeframe gives it", () => {
    for (const tf of BYBIT_TIMEFRAME_NAMES) expect(timeframeMs(tf), tf).toBe(ccxt.parseTimeframe(tf) * 1000);
  });

  it('accepts exactly the table: any other string, number or nothing is undefined, never a throw', () => {
    fc.assert(
      fc.property(fc.oneof(fc.string(), fc.stringMatching(/^\d{1,4}[smhdwMy]$/), fc.integer(), fc.constant(undefined)), (input) => {
        const known = typeof input === 'string' && BYBIT_TIMEFRAME_NAMES.includes(input);
        expect(parseTimeframe(input as string) !== undefined).toBe(known);
      }),
    );
    for (const bad of ['0m', '1s', '2m', '90m', '1y', '01m', '1m ', '-1m', 'toString', '__proto__']) expect(timeframeMs(bad), bad).toBeUndefined();
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
