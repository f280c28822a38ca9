// @module-tag e2e
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { runSoak } from './run-soak.ts';

const root = fileURLToPath(new URL('../..', import.meta.url));
const entry = 'checks/soak/testing/stand-in-child.ts';

afterEach(() => {
  delete process.env.LEAKPROOF_STAND_IN;
});

describe('runSoak with a stand-in service', () => {
  it('runs both builds through the workload and judges retained MB per simulated hour', async () => {
    const soak = await runSoak({ root, entry, simHours: 3 });
    expect(soak.builds.real.exitReason).toBe('done');
    expect(soak.builds.fixRemoved.samples).toHaveLength(12);
    // 2 MB retained per quarter hour is 8 MB per simulated hour, whatever the wall time took.
    expect(soak.builds.fixRemoved.retained?.slope).toBeCloseTo(8, 0);
    expect(soak.builds.fixRemoved.retained?.lo).toBeGreaterThan(7);
    expect(soak.builds.fixRemoved.messages).toBe(7200);
    expect(soak.builds.fixRemoved.ccxtSymbolsMax).toBe(22);
    expect(soak.workload.warmupSimHours).toBe(0.5);
    expect(soak.ok).toBe(true);
    expect(soak.message).toMatch(/^fix-removed build grew/);
    // Only the build that grew is read, and its reading names what holds the growth.
    expect(soak.whatGrew.map((w) => w.source)).toEqual(['soak: fix-removed build']);
    const reading = soak.whatGrew[0]!.result;
    if (!reading.ok) throw new Error(reading.reason);
    expect(reading.rows[0]?.retainerPath).toMatch(/StandInStore.*rows/);
    expect((reading.rows[0]!.bytesAfter - reading.rows[0]!.bytesBefore) / 1048576).toBeGreaterThan(15);
  }, 60_000);

  it('fails, naming the build, when a child dies early', async () => {
    process.env.LEAKPROOF_STAND_IN = 'crash';
    const soak = await runSoak({ root, entry, simHours: 1 });
    expect(soak.ok).toBe(false);
    expect(soak.message).toMatch(/^fix-removed build exited early \(code 3, signal null\) at 0\.5 of 1 simulated hours/);
    expect(soak.builds.real.exitReason).toBe('done');
  });

  it('fails when the real build keeps ccxt state for symbols it no longer tracks', async () => {
    process.env.LEAKPROOF_STAND_IN = 'ccxt-leak';
    const soak = await runSoak({ root, entry, simHours: 1 });
    expect(soak.ok).toBe(false);
    expect(soak.message).toMatch(/^ccxt holds client state for 12 symbols .* more than the 10 the universe tracks/);
  });

  it('fails with how far it got when the workload outlasts the wall cap', async () => {
    process.env.LEAKPROOF_STAND_IN = 'hang';
    const soak = await runSoak({ root, entry, simHours: 1, wallCapS: 1.5 });
    expect(soak.ok).toBe(false);
    expect(soak.message).toMatch(/real build did not finish its workload within 1\.5 s \(reached 0\.5 of 1 simulated hours\)/);
  });

  it('fails when a child never reports ready', async () => {
    const soak = await runSoak({ root, entry: 'checks/soak/testing/missing.ts', simHours: 1, bootTimeoutMs: 5000 });
    expect(soak.ok).toBe(false);
    expect(soak.builds.real.exitReason).toMatch(/exited early|did not report ready/);
  });
});
