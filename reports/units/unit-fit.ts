import jStat from 'jstat';
import { Matrix, SVD } from 'ml-matrix';
import MultivariateLinearRegression from 'ml-regression-multivariate-linear';

/**
 * One reading after a full gc: bytes retained and the work done so far, in each unit. Samples that share
 * a `phase` share an intercept: a step between phases (a fill, a heap snapshot) is then no unit's slope.
 */
export type UnitSample = { retainedBytes: number; messages: number; listingTurns: number; hours: number; phase?: string };
export type UnitName = 'message' | 'listing' | 'hour';
/** Bytes retained per unit of work, its 95% interval, and the smallest slope this fit would have seen. */
export type UnitSlope = { unit: UnitName; slope: number; lo: number; hi: number; floor: number };
export type UnitFit = { ok: true; slopes: UnitSlope[] } | { ok: false; reason: string };

export const UNITS: readonly UnitName[] = ['message', 'listing', 'hour'];
const COLUMN: Record<UnitName, (s: UnitSample) => number> = {
  message: (s) => s.messages,
  listing: (s) => s.listingTurns,
  hour: (s) => s.hours,
};

/**
 * One least-squares regression of retained bytes on all three units at once (plus an intercept per
 * phase), so a run may vary them in phases or together: each slope is what one more unit retains with
 * the other two held. Columns are scaled to [0, 1] before the fit so that 10^5 messages and 6 hours sit
 * in one well-conditioned system; the slopes are scaled back.
 *
 * The floor is twice the interval's half-width: a true slope that large has its lower bound above zero
 * in about 97.5% of runs like this one, so it is what this run "would have seen".
 */
export function fitUnits(samples: readonly UnitSample[]): UnitFit {
  const k = UNITS.length;
  const phases = [...new Set(samples.map((s) => s.phase ?? ''))];
  const df = samples.length - k - phases.length;
  if (df < 1) {
    return { ok: false, reason: `${samples.length} samples cannot fit ${k} slopes and ${phases.length} intercept(s) (${k + phases.length + 1} needed)` };
  }
  const bad = samples.find((s) => ![s.retainedBytes, ...UNITS.map((u) => COLUMN[u](s))].every(Number.isFinite));
  if (bad) return { ok: false, reason: `a sample is not a finite number: ${JSON.stringify(bad)}` };
  const spans = UNITS.map((u) => {
    const xs = samples.map(COLUMN[u]);
    return { unit: u, min: Math.min(...xs), span: Math.max(...xs) - Math.min(...xs) };
  });
  const flat = spans.filter((s) => s.span === 0).map((s) => s.unit);
  if (flat.length > 0) return { ok: false, reason: `no work of unit ${flat.join(', ')} varies across the samples, so its slope cannot be told` };
  // The first phase's intercept is the fit's own; each further phase gets an indicator column.
  const x = samples.map((s) => [...spans.map((c) => (COLUMN[c.unit](s) - c.min) / c.span), ...phases.slice(1).map((p) => ((s.phase ?? '') === p ? 1 : 0))]);
  const design = new Matrix(x.map((row) => [...row, 1]));
  if (new SVD(design).rank < k + phases.length) {
    return { ok: false, reason: 'the units moved in lockstep (collinear), so no slope can be told apart from the others: vary them in phases' };
  }
  const fit = new MultivariateLinearRegression(x, samples.map((s) => [s.retainedBytes]), { intercept: true, statistics: true });
  const t = jStat.studentt.inv(0.975, df);
  const slopes = spans.map((c, i): UnitSlope => {
    const slope = (fit.weights[i]?.[0] ?? Number.NaN) / c.span;
    const half = (t * (fit.stdErrors[i] ?? Number.NaN)) / c.span;
    return { unit: c.unit, slope, lo: slope - half, hi: slope + half, floor: 2 * half };
  });
  if (!slopes.every((s) => Number.isFinite(s.slope) && Number.isFinite(s.floor))) return { ok: false, reason: 'the fit did not converge to finite slopes' };
  return { ok: true, slopes };
}
