import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { UnitSample } from '../../reports/units/unit-fit.ts';
import { judgeWindow, type WindowJudgeInput } from './judge-window.ts';

const FLOORS = { message: 4, listing: 16 * 1024, hour: 256 * 1024 };
const MB = 1024 * 1024;

/** A live host's window: steady traffic, a cleanup every `everyS`, no listing turn, retained heap with noise. */
function window(o: { bytesPerMessage: number; msgPerSecond: number; everyS: number; n: number; noiseBytes: number; seed: number }): UnitSample[] {
  let s = o.seed >>> 0;
  const uniform = () => ((s = (Math.imul(s, 1664525) + 1013904223) >>> 0) + 1) / 2 ** 32;
  return Array.from({ length: o.n }, (_, i) => {
    // Traffic is steady but not exact: the count between two cleanups varies by a few percent.
    const messages = Math.round(o.msgPerSecond * o.everyS * (i + 0.05 * uniform()));
    return { retainedBytes: 60 * MB + o.bytesPerMessage * messages + (uniform() - 0.5) * 2 * o.noiseBytes, messages, listingTurns: 0, hours: (i * o.everyS) / 3600 };
  });
}

const input = (samples: UnitSample[], over: Partial<WindowJudgeInput> = {}): WindowJudgeInput => ({
  samples, qaFloors: FLOORS, msgPerSecond: 2_000, listingTurnsPerDay: 0, headroomBytes: 300 * MB, days: 7, ...over,
});

describe('judgeWindow', () => {
  it('fails a per-message leak well above the QA floor and names the unit, whatever the noise and traffic', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1_000, max: 5_000 }), fc.integer({ min: 1, max: 1e6 }), fc.integer({ min: 50_000, max: 500_000 }), (rate, seed, noise) => {
        const samples = window({ bytesPerMessage: 100, msgPerSecond: rate, everyS: 10, n: 15, noiseBytes: noise, seed });
        const r = judgeWindow(input(samples, { msgPerSecond: rate }));
        expect(r.ok).toBe(false);
        expect(r.reason).toMatch(/B\/message .*> QA floor 4(\.\d+)? B\/message|reaches MemoryHigh/);
      }),
      { numRuns: 40 },
    );
  });

  it('passes a flat retained heap and states the floor it reached per unit', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 1e6 }), (seed) => {
        const r = judgeWindow(input(window({ bytesPerMessage: 0, msgPerSecond: 2_000, everyS: 10, n: 15, noiseBytes: 200_000, seed })));
        // A flat line passes unless the noise alone puts the lower bound above zero (~2.5% of windows) and over the floor.
        if (!r.ok) expect(r.evidence?.units.some((u) => u.lo > 0)).toBe(true);
        expect(r.evidence?.floors[0]).toMatch(/^this watch could see ≥ \S+ B\/message$/);
        expect(r.evidence?.model).toBe('per-unit');
      }),
      { numRuns: 40 },
    );
  });

  it('fails growth under the QA floor when, at this traffic, it fills the MemoryHigh headroom within the days', () => {
    // 0.05 B/message at 3,000 msg/s is 0.5 MB/h: under every QA floor, yet 10 MB of headroom lasts under a day.
    const samples = window({ bytesPerMessage: 0.05, msgPerSecond: 3_000, everyS: 10, n: 15, noiseBytes: 100, seed: 7 });
    const tight = judgeWindow(input(samples, { msgPerSecond: 3_000, headroomBytes: 10 * MB }));
    expect(tight.ok).toBe(false);
    expect(tight.reason).toMatch(/reaches MemoryHigh in 0\.\d days < 7/);
    // The budget is the headroom spread over the days at the host's traffic: 10 MB / (7 d × 3,000 msg/s).
    expect(tight.evidence?.units.find((u) => u.unit === 'message')?.budget).toBeCloseTo((10 * MB) / (7 * 3_000 * 86_400), 9);
    expect(judgeWindow(input(samples, { msgPerSecond: 3_000, headroomBytes: 300 * MB })).ok).toBe(true);
  });

  it('judges an hour slope that only carries steady message traffic against what the floors allow at that traffic', () => {
    // 2 B/message at 2,000 msg/s is 14 MB/h: far above the per-hour floor of 256 KB/h, yet under the 4 B/message
    // floor, and the hour slope moved only because the messages did.
    const samples = window({ bytesPerMessage: 2, msgPerSecond: 2_000, everyS: 5, n: 24, noiseBytes: 20_000, seed: 3 });
    const r = judgeWindow(input(samples, { headroomBytes: 10_000 * MB }));
    expect(r.ok, r.reason).toBe(true);
    expect(r.reason).toMatch(/this watch could see ≥ \S+ B\/message; .* B\/hour/);
  });

  it('refuses to judge a window with too few retained samples', () => {
    const r = judgeWindow(input(window({ bytesPerMessage: 0, msgPerSecond: 2_000, everyS: 10, n: 2, noiseBytes: 1, seed: 1 })));
    expect(r).toMatchObject({ ok: false, reason: expect.stringMatching(/cannot judge retained memory/) });
  });
});
