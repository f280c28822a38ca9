import { z } from 'zod';
import { SCHEMA_VERSION, isoTime } from './common.ts';

export const BenchRow = z.object({
  implementation: z.string().min(1).describe('e.g. ccxt-array-cache, push-slice, ohlcv-ring'),
  scenario: z.string().min(1).describe('e.g. new, mix'),
  appendsPerSec: z.number().min(0),
  bytesPerCandle: z.number().min(0),
  eldP99Ms: z.number().min(0).describe('event-loop delay p99 during the run'),
  gcMs: z.number().min(0).describe('one full gc() after the run'),
  vsCcxt: z
    .object({ appendsPerSec: z.number().min(0), bytesPerCandle: z.number().min(0) })
    .nullable()
    .describe("this row / ccxt's row of the same scenario; null for ccxt itself or when it is missing"),
});
export type BenchRow = z.infer<typeof BenchRow>;

export const BenchResult = z.object({
  schemaVersion: z.literal(SCHEMA_VERSION),
  kind: z.literal('bench'),
  startedAt: isoTime,
  machine: z.object({
    cpuModel: z.string(),
    cpus: z.number().int().min(1),
    totalMemMb: z.number().min(0),
    platform: z.string(),
    arch: z.string(),
  }),
  node: z.string().regex(/^v\d+\.\d+\.\d+/, 'must be a Node version like v20.20.2'),
  reps: z.number().int().min(1),
  keys: z.number().int().min(1).describe('distinct (symbol, timeframe) keys'),
  cap: z.number().int().min(1).describe('candles kept per key'),
  rows: z.array(BenchRow),
});
export type BenchResult = z.infer<typeof BenchResult>;

/** Fills `vsCcxt` from the baseline implementation's row of the same scenario. */
export function withCcxtRatios(rows: Omit<BenchRow, 'vsCcxt'>[], baseline: string): BenchRow[] {
  return rows.map((row) => {
    const base = rows.find((r) => r.implementation === baseline && r.scenario === row.scenario);
    if (!base || row.implementation === baseline) return { ...row, vsCcxt: null };
    return {
      ...row,
      vsCcxt: {
        appendsPerSec: base.appendsPerSec > 0 ? row.appendsPerSec / base.appendsPerSec : 0,
        bytesPerCandle: base.bytesPerCandle > 0 ? row.bytesPerCandle / base.bytesPerCandle : 0,
      },
    };
  });
}
