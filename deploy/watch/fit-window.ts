import { fitUnits, UNITS, type UnitName, type UnitSample, type UnitSlope } from '../../reports/units/unit-fit.ts';
import { slopeInterval } from '../../reports/units/slope-interval.ts';

export type WindowFit =
  | { ok: true; model: 'joint'; slopes: UnitSlope[] }
  /** The units moved together or one stood still: each slope then takes all the growth as its own. */
  | { ok: true; model: 'per-unit'; slopes: UnitSlope[]; why: string }
  | { ok: false; reason: string };

const COLUMN: Record<UnitName, (s: UnitSample) => number> = { message: (s) => s.messages, listing: (s) => s.listingTurns, hour: (s) => s.hours };

/**
 * QA's joint fit when the window's units vary apart. A live host's traffic is steady, so messages grow in
 * lockstep with time and a few minutes hold no listing turn: the joint fit cannot tell them apart. Then
 * each unit that varied is fitted alone, so each slope is the growth as if that unit caused all of it —
 * an upper bound per unit, which is what a failing watch needs, with the same floor (twice the interval's
 * half-width) as QA's.
 */
export function fitWindow(samples: readonly UnitSample[], joint = fitUnits): WindowFit {
  const fit = joint(samples);
  if (fit.ok) return { ok: true, model: 'joint', slopes: fit.slopes };
  const slopes = UNITS.flatMap((unit): UnitSlope[] => {
    const s = slopeInterval(samples.map((p) => ({ x: COLUMN[unit](p), y: p.retainedBytes })));
    return s ? [{ unit, slope: s.slope, lo: s.lo, hi: s.hi, floor: s.hi - s.lo }] : [];
  });
  if (slopes.length === 0) return { ok: false, reason: `${samples.length} retained samples: too few, or no unit of work moved (${fit.reason})` };
  return { ok: true, model: 'per-unit', slopes, why: fit.reason };
}
