import type { SoakBuild, SoakRan } from '../../reports/schemas/qa-result.ts';
import { MIN_SOAK_RATIO } from '../qa/weights.ts';
import { growthMbPerMin, judgeSoak } from './growth.ts';
import { runSoakChild, type ChildRun, type SpawnFn } from './soak-child.ts';

export interface SoakOptions {
  root: string;
  /** Seconds each build runs after it reports ready. */
  durationS?: number;
  sampleIntervalMs?: number;
  /** Samples before this are left out of the slope (startup allocations, first REST backfill). */
  warmupS?: number;
  minRatio?: number;
  bootTimeoutMs?: number;
  /** Child entry, relative to root (tests use a stand-in service). */
  entry?: string;
  spawn?: SpawnFn;
  signal?: AbortSignal;
}

export const SOAK_DEFAULTS = { durationS: 20, sampleIntervalMs: 500 } as const;

/** The warm-up scales with the run: a quarter of it, between 2 s and 60 s. */
export const warmupFor = (durationS: number) => Math.min(60, Math.max(2, durationS / 4));

function summarize(label: string, run: ChildRun, warmupS: number): SoakBuild {
  return {
    label,
    samples: run.samples,
    growthMbPerMin: growthMbPerMin(run.samples, warmupS, 'rssMb'),
    heapGrowthMbPerMin: growthMbPerMin(run.samples, warmupS, 'heapMb'),
    retainedGrowthMbPerMin: growthMbPerMin(run.samples, warmupS, 'retainedMb'),
    peakRssMb: Math.max(0, ...run.samples.map((s) => s.rssMb)),
    peakHeapMb: Math.max(0, ...run.samples.map((s) => s.heapMb)),
    exitReason: run.exitReason,
  };
}

/**
 * Runs the real build and the fix-removed build side by side, each its own service process on the
 * emulator's accelerated clock, and compares their RSS growth after the warm-up.
 */
export async function runSoak(options: SoakOptions): Promise<SoakRan> {
  const durationS = options.durationS ?? SOAK_DEFAULTS.durationS;
  const sampleIntervalMs = options.sampleIntervalMs ?? SOAK_DEFAULTS.sampleIntervalMs;
  const warmupS = options.warmupS ?? warmupFor(durationS);
  const minRatio = options.minRatio ?? MIN_SOAK_RATIO;
  const common = {
    root: options.root,
    durationS,
    sampleIntervalMs,
    // tsx and ccxt take 2-3 s to load on an idle machine, over 12 s on a busy one.
    bootTimeoutMs: options.bootTimeoutMs ?? 60_000,
    ...(options.entry ? { entry: options.entry } : {}),
    ...(options.spawn ? { spawn: options.spawn } : {}),
    ...(options.signal ? { signal: options.signal } : {}),
  };
  const [real, before] = await Promise.all([
    runSoakChild({ ...common, build: 'real' }),
    runSoakChild({ ...common, build: 'fix-removed' }),
  ]);
  const builds = {
    real: summarize('bounded OHLCV ring, trims, periodic cleanup', real, warmupS),
    fixRemoved: summarize('naive unbounded store, no trim, no cleanup, no eviction', before, warmupS),
  };
  const broken = (['real', 'fixRemoved'] as const).filter((k) => builds[k].exitReason !== 'stopped');
  const judged = broken.length
    ? {
        ratio: null,
        ok: false,
        message: broken.map((k) => `${k === 'real' ? 'real' : 'fix-removed'} build ${builds[k].exitReason}`).join('; '),
      }
    : // RSS after gc still carries allocator slack and JIT code that neither build controls; the bar is
      // applied to what each build retains (heap + ArrayBuffers, where the ring keeps its candles).
      judgeSoak(builds.real.retainedGrowthMbPerMin, builds.fixRemoved.retainedGrowthMbPerMin, minRatio);
  return { ran: true, durationS, warmupS, sampleIntervalMs, builds, minRatio, ...judged };
}
