import type { QaResult, SoakSample } from '../schemas/qa-result.ts';

const hex = (c: string) => c.repeat(64);

export function samples(slopeMbPerS: number, base: number, n = 20): SoakSample[] {
  return Array.from({ length: n }, (_, i) => ({ tS: i * 0.5, rssMb: base + slopeMbPerS * i * 0.5, heapMb: base / 2 + slopeMbPerS * i * 0.25, retainedMb: base / 2 + slopeMbPerS * i * 0.3 }));
}

/** A complete, valid QA result of a passing run with two fixes; tests override the parts they probe. */
export function qaResultFixture(): QaResult {
  return {
    schemaVersion: 1,
    kind: 'qa',
    startedAt: '2025-01-02T03:04:05.000Z',
    finishedAt: '2025-01-02T03:04:45.000Z',
    verdict: 'PASS',
    verdictReasons: [],
    score: { value: 10, max: 10, parts: [{ name: 'static', weight: 10, earned: 10 }] },
    confidence: { value: 1, covered: 2, total: 2, definition: 'all three legs' },
    timings: { totalMs: 40_000, stages: { static: 900, mutants: 5000, probes: 3000, soak: 21_000 } },
    sources: { sha256: hex('a'), files: [{ path: 'app/main.ts', sha256: hex('b') }] },
    fixes: [
      {
        specId: 'ohlcv-initial-trim',
        title: 'Initial OHLCV size check',
        severity: 'critical',
        reason: 'the first insert skipped the size check',
        status: 'pass',
        evidence: [
          { file: 'app/manager/market-data-manager.ts', line: 42, col: 7, message: 'limit lookup' },
          { file: 'app/manager/market-data-manager.ts', line: 43, col: 7, message: 'trim before store' },
        ],
        mutants: { killed: 5, total: 5, survivors: [] },
        probes: ['first-insert-keeps-1440'],
        coverage: { static: true, mutant: true, probe: true },
      },
      {
        specId: 'cleanup-loop',
        title: 'Immediate then periodic cleanup',
        severity: 'major',
        reason: 'the loop exited after the startup cleanup',
        status: 'pass',
        evidence: [{ file: 'app/cleanup/periodic-memory-cleanup.ts', line: 17, col: 3, message: 'cleanup before loop' }],
        mutants: { killed: 4, total: 4, survivors: [] },
        probes: ['second-and-third-cleanup'],
        coverage: { static: true, mutant: true, probe: true },
      },
    ],
    probes: [
      { id: 'first-insert-keeps-1440', title: 'first insert of 5000 1m candles keeps 1440', ok: true, durationMs: 120, message: 'kept 1440', specIds: ['ohlcv-initial-trim'] },
      { id: 'second-and-third-cleanup', title: 'second and third cleanup follow', ok: true, durationMs: 80, message: '3 cleanups', specIds: ['cleanup-loop'] },
    ],
    mutation: { killed: 9, survived: 0, timeout: 0, excluded: [], score: 100, survivors: [] },
    soak: {
      ran: true,
      durationS: 10,
      warmupS: 2,
      sampleIntervalMs: 500,
      builds: {
        real: { label: 'bounded ring', samples: samples(0.01, 120), growthMbPerMin: 0.6, heapGrowthMbPerMin: 0.3, retainedGrowthMbPerMin: 0.36, peakRssMb: 120.1, peakHeapMb: 60.1, exitReason: 'stopped' },
        fixRemoved: { label: 'naive store', samples: samples(2, 120), growthMbPerMin: 120, heapGrowthMbPerMin: 60, retainedGrowthMbPerMin: 72, peakRssMb: 139, peakHeapMb: 70, exitReason: 'stopped' },
      },
      ratio: 200,
      minRatio: 10,
      ok: true,
      message: 'fix-removed build grew 200.0× faster',
    },
    dependencies: [{ file: 'app/main.ts', line: 1, col: 1, message: 'ccxt is in dependencies', ok: true, package: 'ccxt' }],
    equivalents: [{ id: 'if-else-inverted', description: 'if/else inverted', falseAlarm: false, message: 'no finding' }],
  };
}
