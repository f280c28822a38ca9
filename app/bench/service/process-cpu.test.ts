import { describe, expect, it } from 'vitest';
import { coresBetween, cpuSecondsOf } from './process-cpu.ts';

describe('process CPU from /proc', () => {
  it("agrees with Node's own count of this process's busy loop, and reads nothing for a pid that is not there", () => {
    const before = cpuSecondsOf(process.pid);
    const usage = process.cpuUsage();
    // Busy until 0.3 CPU seconds are spent, however loaded the machine (bounded by 20 s of wall time).
    const wallCap = performance.now() + 20_000;
    let spent = 0;
    while (spent < 0.3 && performance.now() < wallCap) {
      const u = process.cpuUsage(usage);
      spent = (u.user + u.system) / 1e6;
    }
    const after = cpuSecondsOf(process.pid);
    expect(spent).toBeGreaterThanOrEqual(0.3);
    // /proc counts in 10 ms ticks: the two counts agree to a few ticks.
    expect(Math.abs(after! - before! - spent)).toBeLessThan(0.05);
    expect(cpuSecondsOf(2 ** 30)).toBeUndefined();
  });
  it('turns two readings into cores, and says nothing when a reading is missing', () => {
    expect(coresBetween(1, 1.5, 2)).toBe(0.25);
    expect(coresBetween(undefined, 1, 2)).toBeNull();
  });
});
