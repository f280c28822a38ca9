import jStat from 'jstat';

/** A least-squares slope with its 95% confidence interval (Student t on n − 2 degrees of freedom). */
export interface SlopeInterval {
  slope: number;
  /** Standard error of the slope. */
  se: number;
  lo: number;
  hi: number;
  n: number;
}

/** Student t quantile (jStat's inverse of the regularized incomplete beta, exact to ~1e-10). */
export function tQuantile(p: number, df: number): number {
  if (!(df >= 1)) throw new RangeError(`tQuantile needs df >= 1, got ${df}`);
  if (!(p > 0 && p < 1)) throw new RangeError(`tQuantile needs 0 < p < 1, got ${p}`);
  return jStat.studentt.inv(p, df);
}

/** The slope of y over x and its 95% interval; null with fewer than three points or one distinct x. */
export function slopeInterval(points: ReadonlyArray<{ x: number; y: number }>): SlopeInterval | null {
  const n = points.length;
  if (n < 3) return null;
  const mx = points.reduce((s, p) => s + p.x, 0) / n;
  const my = points.reduce((s, p) => s + p.y, 0) / n;
  let sxx = 0;
  let sxy = 0;
  for (const p of points) {
    sxx += (p.x - mx) ** 2;
    sxy += (p.x - mx) * (p.y - my);
  }
  if (sxx === 0) return null;
  const slope = sxy / sxx;
  const intercept = my - slope * mx;
  const sse = points.reduce((s, p) => s + (p.y - intercept - slope * p.x) ** 2, 0);
  const se = Math.sqrt(sse / (n - 2) / sxx);
  const half = tQuantile(0.975, n - 2) * se;
  return { slope, se, lo: slope - half, hi: slope + half, n };
}
