// @module-tag e2e
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { runSoak } from './run-soak.ts';
import { SOAK_PLAN } from './soak-config.ts';

const root = fileURLToPath(new URL('../..', import.meta.url));
const entry = 'checks/soak/testing/stand-in-child.ts';
const profile = { msgPerSecond: 700, memoryHighMb: 4096 };
const plan = { ...SOAK_PLAN, listingBlocks: 6, messageBlocks: 4, simHours: 0.5 };

afterEach(() => {
  delete process.env.LEAKPROOF_STAND_IN;
});

describe('runSoak with a stand-in service', () => {
  it('runs both builds through the plan and judges each unit of work in absolute terms', async () => {
    const soak = await runSoak({ root, entry, plan, profile });
    expect(soak.builds.real.exitReason).toBe('done');
    expect(soak.builds.fixRemoved.samples.map((s) => s.phase)).toEqual([...Array(7).fill('listing'), ...Array(5).fill('message'), ...Array(7).fill('hour')]);
    // 2 MiB retained per listing block of 2 turns is 1 MiB per listing turn, whatever the wall time took.
    const fit = soak.builds.fixRemoved.fit;
    if (!fit.ok) throw new Error(fit.reason);
    expect((fit.slopes.find((s) => s.unit === 'listing')?.slope ?? 0) / 1048576).toBeCloseTo(1, 1);
    expect(soak.builds.fixRemoved.units.find((u) => u.unit === 'listing')?.ok).toBe(false);
    expect(soak.builds.real.ok).toBe(true);
    expect(soak.ok, soak.message).toBe(true);
    expect(soak.message).toMatch(/fix-removed build flagged: fix-removed build retains .* per listing turn/);
    // Only the unit that grew is read, and its reading names what holds the growth.
    expect(soak.whatGrew.map((w) => [w.source, w.unit])).toEqual([['soak: fix-removed build', 'listing']]);
    const reading = soak.whatGrew[0]!.result;
    if (!reading.ok) throw new Error(reading.reason);
    expect(reading.rows[0]?.retainerPath).toMatch(/StandInStore.*rows/);
    expect(soak.message).toMatch(/held by StandInStore\.rows/);
  }, 60_000);

  it('fails, naming the build, when a child dies early', async () => {
    process.env.LEAKPROOF_STAND_IN = 'crash';
    const soak = await runSoak({ root, entry, plan, profile });
    expect(soak.ok).toBe(false);
    expect(soak.message).toMatch(/^fix-removed build exited early \(code 3, signal null\) at the listing phase, 1500 messages, 2 listing turns/);
    expect(soak.builds.real.exitReason).toBe('done');
  });

  it('fails when the real build keeps ccxt state for symbols it no longer tracks', async () => {
    process.env.LEAKPROOF_STAND_IN = 'ccxt-leak';
    const soak = await runSoak({ root, entry, plan, profile });
    expect(soak.ok).toBe(false);
    expect(soak.message).toMatch(/real build: ccxt holds client state for 12 symbols in the message phase, more than the 10 the universe tracks/);
  });

  it('fails with how far it got when the workload outlasts the wall cap', async () => {
    process.env.LEAKPROOF_STAND_IN = 'hang';
    const soak = await runSoak({ root, entry, plan, profile, wallCapS: 1.5 });
    expect(soak.ok).toBe(false);
    expect(soak.message).toMatch(/real build did not finish its workload within 1\.5 s \(reached the message phase/);
  });

  it('fails when a child never reports ready', async () => {
    const soak = await runSoak({ root, entry: 'checks/soak/testing/missing.ts', plan, profile, bootTimeoutMs: 5000 });
    expect(soak.ok).toBe(false);
    expect(soak.builds.real.exitReason).toMatch(/exited early|did not report ready/);
  });
});
