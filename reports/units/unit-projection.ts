import type { UnitName, UnitSlope } from './unit-fit.ts';

/** The traffic a deployed service sees, and the room its unit leaves it to grow in. */
export type UnitProfile = {
  /** WS messages per second the service takes in. */
  msgPerSecond: number;
  /** Symbols listed (each later delisted and evicted) per day. */
  listingTurnsPerDay: number;
  /** The longest a process runs before a deploy or restart starts it afresh. */
  daysBetweenRestarts: number;
  /** MemoryHigh less what the service holds once warm: what growth may use before the kernel throttles it. */
  headroomMb: number;
};

export type UnitProjection = {
  /** MB per day from each unit's slope, and the sum with its bounds (the sum of each unit's bounds). */
  perUnit: { unit: UnitName; mbPerDay: number }[];
  mbPerDay: number;
  mbPerDayLo: number;
  mbPerDayHi: number;
  /** Days until growth fills the headroom, at the fitted and at the lower rate; null when it does not grow. */
  daysToHeadroom: number | null;
  daysToHeadroomLo: number | null;
  /** Growth at the lower bound fills the headroom within the days between restarts. */
  reachesHeadroom: boolean;
};

const MB = 1024 * 1024;
const SECONDS_PER_DAY = 86_400;

/** Units of work per day at the profile. */
export const unitsPerDay = (p: UnitProfile): Record<UnitName, number> => ({
  message: p.msgPerSecond * SECONDS_PER_DAY,
  listing: p.listingTurnsPerDay,
  hour: 24,
});

const daysTo = (headroomMb: number, mbPerDay: number) => (mbPerDay > 0 ? headroomMb / mbPerDay : null);

/**
 * Growth per day at the profile. The verdict stands on the lower bound, the sum of each unit's lower
 * bound times its daily count: growth that certain fills the headroom before the next restart whatever
 * the noise, while a noisy flat line cannot.
 */
export function projectAtProfile(slopes: readonly UnitSlope[], profile: UnitProfile): UnitProjection {
  const perDay = unitsPerDay(profile);
  const sum = (pick: (s: UnitSlope) => number) => slopes.reduce((total, s) => total + (pick(s) * perDay[s.unit]) / MB, 0);
  const mbPerDay = sum((s) => s.slope);
  const mbPerDayLo = sum((s) => s.lo);
  const daysToHeadroomLo = daysTo(profile.headroomMb, mbPerDayLo);
  return {
    perUnit: slopes.map((s) => ({ unit: s.unit, mbPerDay: (s.slope * perDay[s.unit]) / MB })),
    mbPerDay,
    mbPerDayLo,
    mbPerDayHi: sum((s) => s.hi),
    daysToHeadroom: daysTo(profile.headroomMb, mbPerDay),
    daysToHeadroomLo,
    reachesHeadroom: daysToHeadroomLo !== null && daysToHeadroomLo <= profile.daysBetweenRestarts,
  };
}
