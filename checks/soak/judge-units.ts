import type { SoakSample } from '../../reports/schemas/qa-result.ts';
import { fitUnits, type UnitFit, type UnitName, type UnitSlope } from '../../reports/units/unit-fit.ts';
import { projectAtProfile, unitsPerDay, type UnitProfile, type UnitProjection } from '../../reports/units/unit-projection.ts';
import { UNIT_WORDS } from './unit-limits.ts';

const MB = 1024 * 1024;

export interface UnitJudgement {
  unit: UnitName;
  ok: boolean;
  message: string;
}

export interface BuildJudgement {
  fit: UnitFit;
  projection: UnitProjection | null;
  units: UnitJudgement[];
  /** Every reason the build fails the absolute judgement; empty when it passes. */
  reasons: string[];
}

const interval = (s: UnitSlope) => {
  const b = UNIT_WORDS[s.unit].bytes;
  return `${b(s.slope)} [${b(s.lo)}, ${b(s.hi)}]`;
};

/** One unit: it fails when its slope clears zero by its interval and stands above its tolerance. */
function judgeUnit(s: UnitSlope, tolerance: number): UnitJudgement {
  const words = UNIT_WORDS[s.unit];
  const grew = s.lo > 0 && s.slope > tolerance;
  const what = `${interval(s)} ${words.per} (95% CI; tolerance ${words.bytes(tolerance)}, this run sees ≥ ${words.bytes(s.floor)})`;
  return { unit: s.unit, ok: !grew, message: grew ? `retains ${what}` : `holds: ${what}` };
}

/**
 * The absolute judgement of one build: one regression of retained bytes on its work (per message, per
 * listing turn, per simulated hour), each slope against its tolerance, and the growth projected to the
 * production profile against the unit's MemoryHigh headroom.
 */
export function judgeBuild(samples: readonly SoakSample[], profile: UnitProfile, tolerance: Readonly<Record<UnitName, number>>): BuildJudgement {
  const fit = fitUnits(samples.map((s) => ({ retainedBytes: s.retainedMb * MB, messages: s.messages, listingTurns: s.listingTurns, hours: s.simH, phase: s.phase })));
  if (!fit.ok) return { fit, projection: null, units: [], reasons: [`no fit: ${fit.reason}`] };
  const projection = projectAtProfile(fit.slopes, profile);
  const perDay = unitsPerDay(profile);
  // When the projection fills the headroom, the units whose lower bounds carry it are named with it.
  const carries = (s: UnitSlope) => projection.reachesHeadroom && s.lo > 0 && (s.lo * perDay[s.unit]) / MB >= projection.mbPerDayLo / 4;
  const units = fit.slopes.map((s) => {
    const judged = judgeUnit(s, tolerance[s.unit]);
    if (!carries(s)) return judged;
    const share = `${((s.slope * perDay[s.unit]) / MB).toFixed(1)} MB/day at the profile`;
    return { unit: s.unit, ok: false, message: `${judged.message.replace(/^holds: /, 'retains ')}: ${share}` };
  });
  const reasons = units.filter((u) => !u.ok).map((u) => u.message);
  if (projection.reachesHeadroom) {
    reasons.push(
      `projected ${projection.mbPerDay.toFixed(1)} MB/day (lower bound ${projection.mbPerDayLo.toFixed(1)}) at the profile fills its ` +
        `${profile.headroomMb.toFixed(0)} MB of MemoryHigh headroom in ${(projection.daysToHeadroomLo ?? 0).toFixed(1)} days, within the ${profile.daysBetweenRestarts} days between restarts`,
    );
  }
  return { fit, projection, units, reasons };
}

/**
 * ccxt pro's own per-symbol state must stay within the live universe: once the listings stop (the
 * message and hour phases), no more symbols hold client state than the manager tracks. During the
 * turns a delisted symbol settles and its streams linger for a while, as on Bybit, before the purge.
 */
export function judgeCcxtBound(samples: readonly SoakSample[]): { ok: boolean; message: string } {
  const over = samples.filter((s) => s.phase !== 'listing' && s.ccxtSymbols > s.tracked);
  if (over.length === 0) return { ok: true, message: 'ccxt client state stayed within the live universe' };
  const worst = over.reduce((a, b) => (b.ccxtSymbols - b.tracked > a.ccxtSymbols - a.tracked ? b : a));
  return {
    ok: false,
    message: `ccxt holds client state for ${worst.ccxtSymbols} symbols in the ${worst.phase} phase, more than the ${worst.tracked} the universe tracks (delisted symbols not purged)`,
  };
}
