// @module-tag e2e
import { describe, expect, it } from 'vitest';
import type { BenchConfig } from './bench-config.ts';
import { CCXT, RING, SCENARIOS } from './bench-config.ts';
import { loadCcxtContender, pushSliceContender, ringContender } from './contenders.ts';
import { resolveGc } from './measure.ts';
import { inProcessMeasure } from './measure-in-process.ts';
import { isolatedMeasure } from './measure-isolated.ts';
import { measureOnce } from './measure-once.ts';
import { runBenchSuite } from './run-bench-suite.ts';
import { BenchResult } from '../../reports/schemas/bench-result.ts';

// Structure only: performance is for `npm run bench`, never asserted here. The cap is large enough that the
// caches' memory outweighs the test runner's own heap noise in the bytes-per-candle delta.
const TINY: BenchConfig = { keys: 4, cap: 5000, warmTicks: 1, ticks: 3, reps: 1, cleanupPasses: 3, gcSamples: 1 };
const gc = resolveGc();

describe('bench measuring', () => {
  it('measureOnce keeps every key at its cap and returns finite, positive metrics', async () => {
    for (const scenario of SCENARIOS) {
      const sample = await measureOnce(ringContender, scenario, TINY, gc);
      expect(sample).toMatchObject({ implementation: RING, scenario: scenario.name, retainedCandles: 4 * 5000 });
      for (const key of ['appendsPerSec', 'appendsPerSecOverall', 'bytesPerCandle', 'gcMs', 'gcBaselineMs'] as const) {
        expect(Number.isFinite(sample[key]) && sample[key] > 0, key).toBe(true);
      }
      expect(sample.eldP99Ms).toBeGreaterThanOrEqual(0);
      expect(sample.cleanupP99Ms).not.toBeNull();
    }
  });

  it('loads ccxt ArrayCacheByTimestamp from the installed package; it has no trim, so no cleanup figure', async () => {
    const ccxt = await loadCcxtContender();
    if (!ccxt.ok) throw new Error(ccxt.reason);
    const sample = await measureOnce(ccxt.contender, SCENARIOS[0]!, TINY, gc);
    expect(sample).toMatchObject({ implementation: CCXT, retainedCandles: 4 * 5000, cleanupP99Ms: null });
  });

  it('push + slice ends at the cap too', async () => {
    const sample = await measureOnce(pushSliceContender, SCENARIOS[1]!, TINY, gc);
    expect(sample.retainedCandles).toBe(4 * 5000);
  });

  it('the suite gives one median row per (implementation, scenario), ratios against ccxt, and fits the schema', async () => {
    const suite = await runBenchSuite(TINY, { scenarios: SCENARIOS, implementations: [CCXT, RING], measure: inProcessMeasure(gc) });
    if (!suite.ok) throw new Error(suite.reason);
    const result = suite.output;
    expect(result.rows.map((r) => `${r.implementation}/${r.scenario}`)).toEqual([
      `${CCXT}/new`,
      `${RING}/new`,
      `${CCXT}/mix`,
      `${RING}/mix`,
    ]);
    const ring = result.rows[1]!;
    expect(result.rows[0]!.vsCcxt).toBeNull();
    expect(ring.vsCcxt!.appendsPerSec).toBeCloseTo(ring.appendsPerSec / result.rows[0]!.appendsPerSec, 6);
    expect(result.targets.length).toBeGreaterThan(0);
    expect(result.targets.every((t) => t.actual !== null && typeof t.pass === 'boolean')).toBe(true);
    expect(BenchResult.safeParse(result).success).toBe(true);
  });

  it('an isolated measurement runs in a child process and returns the same shape', async () => {
    const measured = await isolatedMeasure()(RING, SCENARIOS[0]!, TINY);
    if (!measured.ok) throw new Error(measured.reason);
    expect(measured.sample).toMatchObject({ implementation: RING, scenario: 'new', retainedCandles: 4 * 5000 });
  });

  it('an unknown design fails as a value naming it, in process and isolated', async () => {
    const inProcess = await inProcessMeasure(gc)('no-such-cache', SCENARIOS[0]!, TINY);
    expect(inProcess).toEqual({ ok: false, reason: 'unknown implementation "no-such-cache"' });
    const isolated = await isolatedMeasure()('no-such-cache', SCENARIOS[0]!, TINY);
    expect(isolated.ok ? '' : isolated.reason).toContain('unknown implementation "no-such-cache"');
  });
});
