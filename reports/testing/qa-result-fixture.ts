import { QA_SCHEMA_VERSION, type QaResult, type SoakBuild, type SoakSample } from '../schemas/qa-result.ts';
import { fitUnits } from '../units/unit-fit.ts';
import { projectAtProfile } from '../units/unit-projection.ts';

const hex = (c: string) => c.repeat(64);

const PROFILE = { msgPerSecond: 700, listingTurnsPerDay: 5, daysBetweenRestarts: 7, headroomMb: 300 };

/**
 * A phased soak run: 6 listing blocks (2 turns each), 5 message bursts of 20k, 9 blocks of 5 simulated
 * minutes; retaining `perTurn` bytes per listing turn and `perHour` per simulated hour, plus a little noise.
 */
export function samples(perTurn: number, perHour: number, base = 30): SoakSample[] {
  const at = { messages: 0, listingTurns: 0, simH: 0 };
  const out: SoakSample[] = [];
  const push = (phase: SoakSample['phase']) => {
    const noise = ((out.length * 7919) % 13) * 2e-3;
    const retainedMb = base + (perTurn * at.listingTurns + perHour * at.simH) / 1048576 + noise;
    out.push({ tS: out.length * 2, phase, ...at, rssMb: retainedMb * 4, heapMb: retainedMb + 4, retainedMb, tracked: 10, ccxtSymbols: 10, ccxtEntries: 80 });
  };
  const run = (phase: SoakSample['phase'], blocks: number, step: Partial<typeof at>) => {
    push(phase);
    for (let i = 0; i < blocks; i++) {
      at.messages += step.messages ?? 0;
      at.listingTurns += step.listingTurns ?? 0;
      at.simH += 1 / 12;
      push(phase);
    }
  };
  run('listing', 6, { listingTurns: 2, messages: 1500 });
  run('message', 5, { messages: 20_000 });
  run('hour', 9, {});
  return out;
}

const build = (label: string, perTurn: number, perHour: number): SoakBuild => {
  const all = samples(perTurn, perHour);
  const fit = fitUnits(all.map((x) => ({ retainedBytes: x.retainedMb * 1048576, messages: x.messages, listingTurns: x.listingTurns, hours: x.simH, phase: x.phase })));
  const projection = fit.ok ? projectAtProfile(fit.slopes, PROFILE) : null;
  const units = fit.ok ? fit.slopes.map((x) => ({ unit: x.unit, ok: !(x.lo > 0 && x.slope > 16384), message: `${x.unit} ${x.slope.toFixed(0)} B` })) : [];
  return {
    label,
    samples: all,
    fit,
    projection,
    units,
    ok: units.every((u) => u.ok),
    peakRssMb: Math.max(...all.map((x) => x.rssMb)),
    peakHeapMb: Math.max(...all.map((x) => x.heapMb)),
    ccxtSymbolsMax: 10,
    messages: all.at(-1)?.messages ?? 0,
    listingTurns: all.at(-1)?.listingTurns ?? 0,
    wallS: 40,
    exitReason: 'done',
  };
};

export function qaResultFixture(): QaResult {
  return {
    schemaVersion: QA_SCHEMA_VERSION,
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
      plan: { stepSimS: 60, blockSimS: 300, warmupTurns: 3, listingBlocks: 6, messagesPerTurn: 1500, fillMessages: 20000, messageBlocks: 5, messagesPerBlock: 20000, simHours: 0.75, bracketTurns: 3, topN: 10, rotationStep: 2 },
      profile: { symbols: 10, msgPerSecond: 700, listingTurnsPerDay: 5, daysBetweenRestarts: 7, memoryHighMb: 448, memoryHighSource: 'deploy/host/app.service.template', headroomMb: 300 },
      tolerance: { message: 4, listing: 16384, hour: 262144 },
      targets: { message: 16, listing: 20480, hour: 1048576 },
      loadAverage: { start: 1.2, end: 1.5 },
      builds: { real: build('bounded ring', 0, 0), fixRemoved: build('naive store', 500_000, 200_000) },
      whatGrew: [],
      ok: true,
      message: 'real build projects 1.0 MB/day; every unit holds; fix-removed build flagged',
    },
    dependencies: [{ file: 'app/main.ts', line: 1, col: 1, message: 'ccxt is in dependencies', ok: true, package: 'ccxt' }],
    equivalents: [{ id: 'if-else-inverted', description: 'if/else inverted', falseAlarm: false, message: 'no finding' }],
  };
}
