import type { QaResult, SoakSample } from '../schemas/qa-result.ts';

const hex = (c: string) => c.repeat(64);

/** A sample every 20 simulated minutes, growing `mbPerSimH` of retained memory per simulated hour. */
export function samples(mbPerSimH: number, base: number, n = 18): SoakSample[] {
  return Array.from({ length: n }, (_, i) => {
    const simH = (i + 0.375) / 3;
    const retainedMb = base / 2 + mbPerSimH * simH;
    return { tS: simH * 8, simH, messages: simH * 2400, rssMb: base + mbPerSimH * simH, heapMb: retainedMb, retainedMb, tracked: 10, ccxtSymbols: 10, ccxtEntries: 80 };
  });
}

const build = (label: string, mbPerSimH: number, half: number) => ({
  label,
  samples: samples(mbPerSimH, 120),
  retained: { slope: mbPerSimH, se: half / 2, lo: mbPerSimH - half, hi: mbPerSimH + half, n: 15 },
  rssMbPerSimHour: mbPerSimH,
  heapMbPerSimHour: mbPerSimH,
  peakRssMb: 120 + 6 * mbPerSimH,
  peakHeapMb: 60 + 6 * mbPerSimH,
  ccxtSymbolsMax: 10,
  messages: 14_400,
  wallS: 30,
  exitReason: 'done',
});

/** A complete, valid QA result of a passing run with two fixes; tests override the parts they probe. */
export function qaResultFixture(): QaResult {
  return {
    schemaVersion: 2,
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
      workload: { simHours: 6, stepSimS: 30, messagesPerSimMinute: 40, sampleEverySimMinutes: 20, warmupSimHours: 1, topN: 10, rotation: { everySeconds: 600, listed: 10, step: 5 } },
      loadAverage: { start: 1.2, end: 1.5 },
      builds: { real: build('bounded ring', 0.05, 0.05), fixRemoved: build('naive store', 10, 0.1) },
      ratio: 200,
      minRatio: 10,
      noiseFloorMbPerSimHour: 0.5,
      whatGrew: [],
      ok: true,
      message: 'fix-removed build grew 200.0× faster',
    },
    dependencies: [{ file: 'app/main.ts', line: 1, col: 1, message: 'ccxt is in dependencies', ok: true, package: 'ccxt' }],
    equivalents: [{ id: 'if-else-inverted', description: 'if/else inverted', falseAlarm: false, message: 'no finding' }],
  };
}
