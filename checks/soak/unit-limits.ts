import type { UnitName } from '../../reports/units/unit-fit.ts';

/**
 * Bytes per unit of work a build may retain and still pass, even when its interval clears zero: the
 * "stated floor" of the absolute verdict. Each sits under what the soak must be able to see
 * (UNIT_TARGETS) and over what the real build measures with its own code left out (checks/README.md):
 * - message: 4 B. At the default profile's ~700 msg/s that is still 240 MB a day, so the projection
 *   against MemoryHigh, not this, is what stops a slow per-message leak; this stops one too small to
 *   project but plainly there.
 * - listing: 16 KB a symbol listed and delisted: 80 KB a day at 5 listings, nothing to a host. The real
 *   build measures about 9 KB (5-13 KB); a dropped symbol's candles alone are 100 KB and more.
 * - hour: 256 KB: 6 MB a day, 43 MB over a week between restarts.
 */
export const UNIT_TOLERANCE: Readonly<Record<UnitName, number>> = { message: 4, listing: 16 * 1024, hour: 256 * 1024 };

/** What every soak run must be able to see (its detection floor at most this): the sensitivity targets. */
export const UNIT_TARGETS: Readonly<Record<UnitName, number>> = { message: 16, listing: 20 * 1024, hour: 1024 * 1024 };

export const UNIT_WORDS: Readonly<Record<UnitName, { per: string; bytes: (b: number) => string }>> = {
  message: { per: 'per WS message', bytes: (b) => `${b.toFixed(1)} B` },
  listing: { per: 'per listing turn', bytes: (b) => `${(b / 1024).toFixed(1)} KB` },
  hour: { per: 'per simulated hour', bytes: (b) => `${(b / 1024 / 1024).toFixed(2)} MB` },
};
