import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { fitUnits, UNITS, type UnitName, type UnitSample, type UnitSlope } from './unit-fit.ts';
import { projectAtProfile } from './unit-projection.ts';

type Truth = Record<UnitName, number>;

/** A phased run: each phase moves one unit (hours also tick during listing turns), as a soak does. */
function phasedRun(truth: Truth, lengths: { message: number; listing: number; hour: number }, noise: () => number): UnitSample[] {
  const at = { messages: 0, listingTurns: 0, hours: 0 };
  const out: UnitSample[] = [];
  const push = () =>
    out.push({ ...at, retainedBytes: 50e6 + truth.message * at.messages + truth.listing * at.listingTurns + truth.hour * at.hours + noise() });
  push();
  for (let i = 0; i < lengths.message; i++, push()) at.messages += 20_000;
  for (let i = 0; i < lengths.listing; i++, push()) {
    at.listingTurns += 5;
    at.hours += 1 / 6;
  }
  for (let i = 0; i < lengths.hour; i++, push()) at.hours += 1;
  return out;
}

/** A seeded standard normal (Box-Muller on a 32-bit LCG): reproducible noise without a library of its own. */
function normal(seed: number): () => number {
  let s = seed >>> 0;
  const uniform = () => ((s = (Math.imul(s, 1664525) + 1013904223) >>> 0) + 1) / 2 ** 32;
  return () => Math.sqrt(-2 * Math.log(uniform())) * Math.cos(2 * Math.PI * uniform());
}

const slopesOf = (samples: UnitSample[]): Record<UnitName, UnitSlope> => {
  const fit = fitUnits(samples);
  if (!fit.ok) throw new Error(fit.reason);
  return Object.fromEntries(fit.slopes.map((s) => [s.unit, s])) as Record<UnitName, UnitSlope>;
};

const truthArb = fc.record({
  message: fc.double({ min: -50, max: 50, noNaN: true }),
  listing: fc.double({ min: -1e5, max: 1e5, noNaN: true }),
  hour: fc.double({ min: -1e7, max: 1e7, noNaN: true }),
});
const lengthsArb = fc.record({ message: fc.integer({ min: 2, max: 12 }), listing: fc.integer({ min: 2, max: 12 }), hour: fc.integer({ min: 2, max: 8 }) });

describe('fitUnits', () => {
  it('recovers every unit slope of a noiseless phased run, with a zero floor', () => {
    fc.assert(
      fc.property(truthArb, lengthsArb, (truth, lengths) => {
        const got = slopesOf(phasedRun(truth, lengths, () => 0));
        for (const u of UNITS) {
          expect(got[u].slope).toBeCloseTo(truth[u], 3);
          expect(got[u].floor).toBeLessThan(1e-3 * Math.max(1, Math.abs(truth[u])));
        }
      }),
    );
  });

  it('holds the true slope inside its 95% interval in about 95% of noisy runs, and sees a leak at twice its floor', () => {
    const truth: Truth = { message: 8, listing: 0, hour: 2e5 };
    const lengths = { message: 8, listing: 8, hour: 6 };
    const runs = 400;
    const covered = Object.fromEntries(UNITS.map((u) => [u, 0])) as Truth;
    let seen = 0;
    for (let seed = 1; seed <= runs; seed++) {
      const noise = normal(seed);
      const got = slopesOf(phasedRun(truth, lengths, () => 300_000 * noise()));
      for (const u of UNITS) if (got[u].lo <= truth[u] && truth[u] <= got[u].hi) covered[u] += 1;
      // A leak per listing turn of twice this run's floor, added to the same run, must show.
      const again = normal(seed);
      const withLeak = slopesOf(phasedRun({ ...truth, listing: 2 * got.listing.floor }, lengths, () => 300_000 * again()));
      if (withLeak.listing.lo > 0) seen += 1;
    }
    for (const u of UNITS) expect(covered[u] / runs).toBeGreaterThan(0.92);
    expect(seen / runs).toBeGreaterThan(0.95);
  });

  it('gives each named phase its own intercept, so a step between phases is no unit slope', () => {
    fc.assert(
      fc.property(truthArb, lengthsArb, fc.array(fc.double({ min: -5e6, max: 5e6, noNaN: true }), { minLength: 3, maxLength: 3 }), (truth, lengths, steps) => {
        // As the soak runs: in each phase every unit that moves moves in lockstep with the others.
        const labelled = phasedRun(truth, lengths, () => 0).map((s, i) => {
          const phase = i <= lengths.message ? 'message' : i <= lengths.message + lengths.listing ? 'listing' : 'hour';
          const step = steps[['message', 'listing', 'hour'].indexOf(phase)] ?? 0;
          return { ...s, phase, hours: s.hours + (phase === 'message' ? s.messages / 1e5 : 0), retainedBytes: s.retainedBytes + step + (phase === 'message' ? (truth.hour * s.messages) / 1e5 : 0) };
        });
        const got = slopesOf(labelled);
        for (const u of UNITS) expect(got[u].slope).toBeCloseTo(truth[u], 2);
      }),
    );
  });

  it('says why it cannot fit: too few samples, a unit that never moved, units in lockstep, a NaN', () => {
    const base = phasedRun({ message: 1, listing: 1, hour: 1 }, { message: 3, listing: 3, hour: 3 }, () => 0);
    expect(fitUnits(base.slice(0, 4))).toMatchObject({ ok: false, reason: expect.stringContaining('cannot fit') });
    expect(fitUnits(base.map((s) => ({ ...s, listingTurns: 7 })))).toMatchObject({ ok: false, reason: expect.stringContaining('listing') });
    const lockstep = [0, 1, 2, 3, 4, 5].map((h) => ({ hours: h, messages: 1000 * h, listingTurns: 6 * h, retainedBytes: h }));
    expect(fitUnits(lockstep)).toMatchObject({ ok: false, reason: expect.stringContaining('lockstep') });
    expect(fitUnits(base.map((s, i) => (i === 2 ? { ...s, retainedBytes: Number.NaN } : s)))).toMatchObject({ ok: false });
  });
});

describe('projectAtProfile', () => {
  const slope = (unit: UnitName, v: number, half: number): UnitSlope => ({ unit, slope: v, lo: v - half, hi: v + half, floor: 2 * half });
  const MB = 1024 * 1024;
  const profile = { msgPerSecond: 100, listingTurnsPerDay: 10, daysBetweenRestarts: 7, headroomMb: 700 };

  it('adds each unit at its daily count and finds the day the headroom fills', () => {
    // 1 B/msg × 8.64M msg/day + 1 MB/listing × 10 + 1 MB/h × 24 = 8.24 + 10 + 24 MB/day.
    const p = projectAtProfile([slope('message', 1, 0.5), slope('listing', MB, MB / 2), slope('hour', MB, MB / 2)], profile);
    expect(p.mbPerDay).toBeCloseTo(8.64e6 / MB + 34, 6);
    expect(p.mbPerDayLo).toBeCloseTo(p.mbPerDay / 2, 6);
    expect(p.daysToHeadroom).toBeCloseTo(700 / p.mbPerDay, 6);
    expect(p.reachesHeadroom).toBe(false);
    expect(projectAtProfile([slope('hour', 6 * MB, MB)], profile)).toMatchObject({ reachesHeadroom: true, daysToHeadroomLo: 700 / 120 });
  });

  it('never reaches the headroom when the lower bound does not grow', () => {
    fc.assert(
      fc.property(fc.double({ min: -1e3, max: 1e3, noNaN: true }), (v) => {
        const p = projectAtProfile([slope('message', v, Math.abs(v) + 1)], profile);
        expect(p.reachesHeadroom).toBe(false);
        expect(p.daysToHeadroomLo).toBeNull();
      }),
    );
  });
});
