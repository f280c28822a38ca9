import { describe, expect, it } from 'vitest';
import type { JobLagStats } from '../manager/refresh-scheduler.ts';
import { largestPassing, windowLags } from './rest-capacity.ts';

const stat = (job: string, lagMs: number, lastPassLagMs: number, passes: number): JobLagStats => ({
  job,
  priority: 0,
  intervalMs: 60_000,
  lagMs,
  maxLagMs: Math.max(lagMs, lastPassLagMs),
  lastPassLagMs,
  lastPassMs: 0,
  passes,
});

describe('bench:rest judging', () => {
  it('binary-searches the largest passing count on the grid, with few trials', async () => {
    const tried: number[] = [];
    const best = await largestPassing(100, 300, 10, async (n) => (tried.push(n), n <= 170));
    expect(best).toBe(170);
    expect(tried.length).toBeLessThanOrEqual(5);
    expect(await largestPassing(100, 300, 10, async () => false)).toBe(90);
  });

  it("counts a pass's lag only when the pass ended inside the window, and the live lag always", () => {
    const start = new Map([
      ['ticker', 3],
      ['history', 1],
    ]);
    // history's last pass (lag 90 s) ended during warm-up: not judged; ticker's newer pass (lag 4 s) is.
    const samples = [[stat('ticker', 0, 4_000, 4), stat('history', 0, 90_000, 1)], [stat('ticker', 7_000, 4_000, 4), stat('history', 2_000, 90_000, 1)]];
    expect(windowLags(samples, start)).toEqual({ ticker: 7_000, history: 2_000 });
  });
});
