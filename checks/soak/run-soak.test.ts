import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { runSoak } from './run-soak.ts';

const root = fileURLToPath(new URL('../..', import.meta.url));
const entry = 'checks/soak/testing/stand-in-child.ts';

describe('runSoak with a stand-in service', () => {
  it('samples both builds side by side and measures the leak', async () => {
    const soak = await runSoak({ root, entry, durationS: 3, sampleIntervalMs: 100, warmupS: 0.5 });
    expect(soak.builds.real.exitReason).toBe('stopped');
    expect(soak.builds.fixRemoved.samples.length).toBeGreaterThan(10);
    expect(soak.builds.real.samples.length).toBeGreaterThan(10);
    // 2 MB per 100 ms is 1200 MB/min of retained buffers; allow wide noise on a shared machine.
    expect(soak.builds.fixRemoved.growthMbPerMin).toBeGreaterThan(300);
    expect(soak.builds.fixRemoved.retainedGrowthMbPerMin).toBeGreaterThan(300);
    expect(soak.builds.fixRemoved.peakRssMb).toBeGreaterThan(soak.builds.real.peakRssMb);
    expect(soak.ok).toBe(soak.ratio !== null && soak.ratio >= soak.minRatio);
    const ts = soak.builds.real.samples.map((s) => s.tS);
    expect(ts).toEqual([...ts].sort((a, b) => a - b));
    expect(ts.at(-1)!).toBeLessThanOrEqual(3.2);
  });

  it('fails, naming the build, when a child dies early', async () => {
    process.env.LEAKPROOF_STAND_IN = 'crash';
    try {
      const soak = await runSoak({ root, entry, durationS: 2, sampleIntervalMs: 100 });
      expect(soak.ok).toBe(false);
      expect(soak.message).toMatch(/^fix-removed build exited early \(code 3/);
      expect(soak.builds.real.exitReason).toBe('stopped');
    } finally {
      delete process.env.LEAKPROOF_STAND_IN;
    }
  });

  it('fails when a child never reports ready', async () => {
    const soak = await runSoak({ root, entry: 'checks/soak/testing/missing.ts', durationS: 1, bootTimeoutMs: 5000 });
    expect(soak.ok).toBe(false);
    expect(soak.builds.real.exitReason).toMatch(/exited early|did not report ready/);
  });
});
