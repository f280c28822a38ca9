// @module-tag e2e
import { loadavg } from 'node:os';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { runSoak } from './run-soak.ts';
import { startCpuHog } from './testing/cpu-hog.ts';

const root = fileURLToPath(new URL('../..', import.meta.url));
// Four simulated hours: the shortest run whose intervals stay clear of the bar (two hours leave the
// real build's upper bound near 2 MB/h after a 20-minute warm-up). The heap reading is not part of the verdict.
const SOAK = { root, simHours: 4, heapReading: false } as const;

describe('the soak verdict under CPU load', () => {
  it('is the same beside two busy-loop processes as on an idle machine', async () => {
    const idle = await runSoak(SOAK);
    const hog = startCpuHog({ maxS: 600 });
    const started = performance.now();
    const loaded = await runSoak(SOAK).catch(async (error: unknown) => {
      await hog.stop();
      throw error;
    });
    const wallS = (performance.now() - started) / 1000;
    const hogCpuS = await hog.stop();
    console.log(
      `[measure] soak ratio idle ${idle.ratio?.toFixed(1)}× (${idle.builds.fixRemoved.wallS.toFixed(0)} s), beside the hog ${loaded.ratio?.toFixed(1)}× ` +
        `(${loaded.builds.fixRemoved.wallS.toFixed(0)} s); hog CPU ${hogCpuS.map((s) => s.toFixed(0)).join(' + ')} s; load ${loadavg()[0]?.toFixed(1)}`,
    );
    // The hog was real: together the busy children held at least a quarter of a core for the whole
    // loaded soak (beside CI's other test worker they got 0.46 of one; alone about 0.9).
    expect(hogCpuS.reduce((a, b) => a + b, 0)).toBeGreaterThan(wallS * 0.25);
    expect(idle.ok, idle.message).toBe(true);
    expect(loaded.ok, loaded.message).toBe(idle.ok);
    // The same work: the same messages and samples, whatever the wall time.
    expect(loaded.builds.fixRemoved.samples.map((s) => s.simH)).toEqual(idle.builds.fixRemoved.samples.map((s) => s.simH));
    expect(loaded.builds.fixRemoved.messages).toBeCloseTo(idle.builds.fixRemoved.messages, -3);
  }, 600_000);
});
