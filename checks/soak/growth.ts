import type { SoakSample } from '../../reports/schemas/qa-result.ts';

/**
 * Growth below this is measurement noise (RSS pages, JIT, allocator); the real build's slope is
 * clamped up to it so a flat or shrinking line cannot make the ratio infinite or negative.
 */
export const NOISE_FLOOR_MB_PER_MIN = 0.1;
/** The fix-removed build must at least grow this fast, or the soak proved nothing. */
export const MIN_BEFORE_GROWTH_MB_PER_MIN = 1;

/** Ordinary least-squares slope of y over x; null with fewer than two distinct x. */
export function leastSquaresSlope(points: ReadonlyArray<{ x: number; y: number }>): number | null {
  const n = points.length;
  if (n < 2) return null;
  const mx = points.reduce((s, p) => s + p.x, 0) / n;
  const my = points.reduce((s, p) => s + p.y, 0) / n;
  let sxy = 0;
  let sxx = 0;
  for (const p of points) {
    sxy += (p.x - mx) * (p.y - my);
    sxx += (p.x - mx) ** 2;
  }
  return sxx === 0 ? null : sxy / sxx;
}

/** MB per minute of one measure, from the samples after the warm-up; 0 when too few remain. */
export function growthMbPerMin(samples: readonly SoakSample[], warmupS: number, measure: 'rssMb' | 'heapMb' | 'retainedMb'): number {
  const slope = leastSquaresSlope(samples.filter((s) => s.tS >= warmupS).map((s) => ({ x: s.tS, y: s[measure] })));
  return slope === null ? 0 : slope * 60;
}

export interface SoakJudgement {
  ratio: number | null;
  ok: boolean;
  message: string;
}

export function judgeSoak(realMbPerMin: number, beforeMbPerMin: number, minRatio: number): SoakJudgement {
  const ratio = beforeMbPerMin > 0 ? beforeMbPerMin / Math.max(realMbPerMin, NOISE_FLOOR_MB_PER_MIN) : null;
  const rates = `fix-removed ${beforeMbPerMin.toFixed(2)} MB/min vs real ${realMbPerMin.toFixed(2)} MB/min`;
  if (beforeMbPerMin < MIN_BEFORE_GROWTH_MB_PER_MIN) {
    return { ratio, ok: false, message: `fix-removed build did not grow (${rates}); the soak cannot tell the builds apart` };
  }
  if (ratio === null || ratio < minRatio) {
    return { ratio, ok: false, message: `fix-removed build grew only ${ratio?.toFixed(1) ?? 0}× faster, below ${minRatio}× (${rates})` };
  }
  return { ratio, ok: true, message: `fix-removed build grew ${ratio.toFixed(1)}× faster (${rates})` };
}
