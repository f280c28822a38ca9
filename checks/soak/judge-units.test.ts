import { describe, expect, it } from 'vitest';
import type { SoakSample } from '../../reports/schemas/qa-result.ts';
import { samples } from '../../reports/testing/qa-result-fixture.ts';
import { bracketBlocks } from './bracket-blocks.ts';
import { judgeBuild, judgeCcxtBound } from './judge-units.ts';
import { msgPerSecondFor, readMemoryHigh, systemdSizeMb } from './production-profile.ts';
import { SOAK_PLAN } from './soak-config.ts';
import { UNIT_TOLERANCE } from './unit-limits.ts';

const profile = { msgPerSecond: 700, listingTurnsPerDay: 5, daysBetweenRestarts: 7, headroomMb: 300 };
/** The fixture's phased run with `perMessage` bytes added per WS message. */
const withMessages = (perMessage: number, perTurn = 0, perHour = 0): SoakSample[] =>
  samples(perTurn, perHour).map((s) => ({ ...s, retainedMb: s.retainedMb + (perMessage * s.messages) / 1048576 }));

describe('judgeBuild', () => {
  it('passes a flat build and fails each unit that grows beyond its interval and tolerance, naming it', () => {
    expect(judgeBuild(withMessages(0), profile, UNIT_TOLERANCE).reasons).toEqual([]);
    const listing = judgeBuild(withMessages(0, 64 * 1024), profile, UNIT_TOLERANCE);
    expect(listing.units.map((u) => [u.unit, u.ok])).toEqual([['message', true], ['listing', false], ['hour', true]]);
    expect(listing.reasons[0]).toMatch(/^retains 6\d\.\d KB \[.*\] per listing turn \(95% CI; tolerance 16\.0 KB/);
    expect(judgeBuild(withMessages(0, 0, 2 * 1048576), profile, UNIT_TOLERANCE).reasons[0]).toMatch(/^retains 2\.0\d MB .* per simulated hour/);
  });

  it('fails a per-message leak under its tolerance when it fills the headroom at the profile, naming the message unit', () => {
    // 3 B a message is 181 MB a day at 700 msg/s: the 300 MB headroom is gone in under two days.
    const judged = judgeBuild(withMessages(3), profile, UNIT_TOLERANCE);
    expect(judged.projection?.reachesHeadroom).toBe(true);
    expect(judged.units.find((u) => u.unit === 'message')).toMatchObject({ ok: false, message: expect.stringMatching(/^retains 3\.\d B .* MB\/day at the profile$/) });
    expect(judged.reasons.at(-1)).toMatch(/fills its 300 MB of MemoryHigh headroom in 1\.\d days, within the 7 days between restarts/);
  });

  it('says why when the samples cannot be fitted', () => {
    expect(judgeBuild(withMessages(0).slice(0, 3), profile, UNIT_TOLERANCE).reasons[0]).toMatch(/^no fit: /);
  });

  it('holds ccxt state to the tracked universe', () => {
    expect(judgeCcxtBound(withMessages(0)).ok).toBe(true);
    const settling = withMessages(0).map((s, i) => (i === 3 ? { ...s, ccxtSymbols: 13, tracked: 7 } : s));
    expect(judgeCcxtBound(settling).ok).toBe(true);
    const over = withMessages(0).map((s, i) => (i === 9 ? { ...s, ccxtSymbols: 12 } : s));
    expect(judgeCcxtBound(over).message).toBe('ccxt holds client state for 12 symbols in the message phase, more than the 10 the universe tracks (delisted symbols not purged)');
  });
});

describe('the production profile', () => {
  it("gives about 700 msg/s for a top-10 service from Bybit's cadences, more with more symbols", () => {
    const ten = msgPerSecondFor(10, ['1m', '5m', '30m', '4h']);
    expect(ten).toBeGreaterThan(600);
    expect(ten).toBeLessThan(800);
    expect(msgPerSecondFor(20, ['1m', '5m', '30m', '4h'])).toBeGreaterThan(ten * 1.5);
  });

  it("reads MemoryHigh from the unit template: a literal, or its placeholder's deploy default", async () => {
    expect(systemdSizeMb('448M')).toBe(448);
    expect(systemdSizeMb('2G')).toBe(2048);
    expect(systemdSizeMb('infinity')).toBeUndefined();
    const template = (line: string) => () => Promise.resolve(`[Service]\n${line}\nMemoryMax=1G\n`);
    expect(await readMemoryHigh('/x', template('MemoryHigh=1.5G'))).toMatchObject({ ok: true, mb: 1536 });
    expect(await readMemoryHigh('/x', template('MemoryHigh={{memoryHigh}}'))).toMatchObject({ ok: true, mb: 448, source: expect.stringContaining('deploy default 448M') });
    expect(await readMemoryHigh('/x', template('MemoryHigh=50%'))).toMatchObject({ ok: false });
    expect(await readMemoryHigh('/x', template('MemoryMin=1G'))).toMatchObject({ ok: false, reason: expect.stringContaining('no MemoryHigh') });
  });
});

describe('bracketBlocks', () => {
  const phase = (bytesPerBlock: number) => {
    const work = Array.from({ length: 6 }, (_, i) => ({ phase: 'hour' as const, messages: 0, listingTurns: 0, simH: i / 12 }));
    return { work, retained: work.map((_, i) => 30e6 + i * bytesPerBlock) };
  };
  it('brackets only a phase that grew past noise, with enough blocks to read', () => {
    const flat = phase(20_000);
    expect(bracketBlocks('hour', flat.work, flat.retained, SOAK_PLAN)).toBe(0);
    const grew = phase(100_000);
    expect(bracketBlocks('hour', grew.work, grew.retained, SOAK_PLAN)).toBe(6);
    const listing = grew.work.map((w) => ({ ...w, phase: 'listing' as const }));
    expect(bracketBlocks('listing', listing, grew.retained, SOAK_PLAN)).toBe(SOAK_PLAN.bracketTurns);
  });
});
