import type { SoakSample } from '../../reports/schemas/qa-result.ts';
import { slopeInterval, type SlopeInterval } from '../../reports/units/slope-interval.ts';

/**
 * Retained growth below this, in MB per simulated hour, is measurement noise (JIT code, allocator pages):
 * 3 MB over the six hours. The real build's upper bound is raised to it, so a flat line cannot make the
 * bar infinite or negative.
 */
export const NOISE_FLOOR_MB_PER_SIM_HOUR = 0.5;
/** The fix-removed build's lower bound must at least reach this, or the soak proved nothing. */
export const MIN_BEFORE_GROWTH_MB_PER_SIM_HOUR = 2;

type Measure = 'rssMb' | 'heapMb' | 'retainedMb';

/** MB per simulated hour of one measure, from the samples after the warm-up, with its 95% interval. */
export function growthPerSimHour(samples: readonly SoakSample[], warmupSimH: number, measure: Measure): SlopeInterval | null {
  return slopeInterval(samples.filter((s) => s.simH >= warmupSimH).map((s) => ({ x: s.simH, y: s[measure] })));
}

export interface SoakJudgement {
  ratio: number | null;
  ok: boolean;
  message: string;
}

const mb = (v: number) => v.toFixed(2);
const interval = (s: SlopeInterval) => `${mb(s.slope)} [${mb(s.lo)}, ${mb(s.hi)}]`;

/**
 * The verdict stands on the intervals, so neither noise nor load can flip it: the fix-removed build's
 * lower bound must reach `minRatio` times the real build's upper bound (or the noise floor, whichever is
 * higher). The ratio of the two slopes is kept for the report.
 */
export function judgeSoak(real: SlopeInterval | null, before: SlopeInterval | null, minRatio: number): SoakJudgement {
  if (real === null || before === null) {
    return { ratio: null, ok: false, message: 'too few samples after the warm-up to fit a slope (3 needed per build)' };
  }
  const ratio = before.slope > 0 ? before.slope / Math.max(real.slope, NOISE_FLOOR_MB_PER_SIM_HOUR) : null;
  const bar = minRatio * Math.max(real.hi, NOISE_FLOOR_MB_PER_SIM_HOUR);
  const rates = `MB retained per simulated hour, 95% CI: fix-removed ${interval(before)} vs real ${interval(real)}`;
  if (before.lo < MIN_BEFORE_GROWTH_MB_PER_SIM_HOUR) {
    return { ratio, ok: false, message: `fix-removed build did not clearly grow (${rates}); the soak cannot tell the builds apart` };
  }
  if (before.lo < bar) {
    return { ratio, ok: false, message: `fix-removed build's lower bound ${mb(before.lo)} is below ${minRatio}× the real build's bound, ${mb(bar)} (${rates})` };
  }
  return { ratio, ok: true, message: `fix-removed build grew ${ratio?.toFixed(1) ?? '∞'}× faster; its lower bound ${mb(before.lo)} ≥ ${mb(bar)} (${rates})` };
}

/**
 * ccxt pro's own per-symbol state must stay within the live universe: at every judged sample of the real
 * build, no more symbols hold client state than the manager tracks.
 */
export function judgeCcxtBound(samples: readonly SoakSample[], warmupSimH: number): { ok: boolean; message: string } {
  const over = samples.filter((s) => s.simH >= warmupSimH && s.ccxtSymbols > s.tracked);
  if (over.length === 0) return { ok: true, message: 'ccxt client state stayed within the live universe' };
  const worst = over.reduce((a, b) => (b.ccxtSymbols - b.tracked > a.ccxtSymbols - a.tracked ? b : a));
  return {
    ok: false,
    message: `ccxt holds client state for ${worst.ccxtSymbols} symbols at ${worst.simH.toFixed(2)} simulated hours, more than the ${worst.tracked} the universe tracks (delisted symbols not purged)`,
  };
}
