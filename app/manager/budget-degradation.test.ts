import { describe, expect, it } from 'vitest';
import { FakeClock } from '../testing/fake-clock.ts';
import { degradation } from './budget-degradation.ts';
import { PRIORITY } from './refresh-jobs.ts';
import { RefreshScheduler, type JobLagStats } from './refresh-scheduler.ts';

const CALL_MS = 100;
const INTERVAL_MS = 10_000;
const SYMBOLS = Array.from({ length: 40 }, (_, i) => `S${i}`);

/**
 * The scheduler under a budget of 10 calls/s, as ccxt's throttle spends Bybit's: calls leave one per
 * 100 ms in the order they reach the throttle. 40 symbols of ticker and book need 8 calls/s, the two
 * history jobs 8 more: the budget holds the live state only.
 */
async function underBudget(priorities: { live: number; history: number }): Promise<JobLagStats[]> {
  const clock = new FakeClock();
  const controller = new AbortController();
  let nextSlot = clock.now();
  const throttled = async () => {
    const at = Math.max(clock.now(), nextSlot);
    nextSlot = at + CALL_MS;
    await clock.sleep(at + CALL_MS - clock.now());
  };
  const scheduler = new RefreshScheduler({ clock, concurrency: 4, signal: controller.signal, symbols: () => SYMBOLS, running: () => true, onError: () => {} });
  const job = (name: string, priority: number) => ({ name, intervalMs: INTERVAL_MS, priority, run: throttled });
  scheduler.start([job('ohlcv:1m', priorities.history), job('openInterestHistory', priorities.history), job('ticker', priorities.live), job('orderbook', priorities.live)]);
  for (let t = 0; t < 6 * INTERVAL_MS; t += CALL_MS) await clock.advance(CALL_MS);
  const stats = scheduler.lagStats();
  controller.abort();
  await clock.advance(INTERVAL_MS);
  await scheduler.settled();
  return stats;
}

const byJob = (stats: JobLagStats[]) => Object.fromEntries(stats.map((s) => [s.job, s]));

describe('a short REST budget degrades by priority', () => {
  it('keeps ticker and book on their interval and lets history fall behind', async () => {
    const stats = byJob(await underBudget({ live: PRIORITY.live, history: PRIORITY.history }));
    for (const live of ['ticker', 'orderbook']) {
      expect(stats[live]!.passes).toBeGreaterThanOrEqual(5);
      expect(stats[live]!.maxLagMs).toBe(0);
    }
    for (const history of ['ohlcv:1m', 'openInterestHistory']) {
      expect(stats[history]!.passes).toBeLessThanOrEqual(2);
      expect(stats[history]!.maxLagMs).toBeGreaterThan(INTERVAL_MS);
    }
    expect(degradation(Object.values(stats))).toEqual({ level: 'history', lateJobs: ['ohlcv:1m', 'openInterestHistory'] });
  });

  it('without priorities the same budget makes the live state late too', async () => {
    const stats = byJob(await underBudget({ live: 0, history: 0 }));
    expect(stats['ticker']!.maxLagMs).toBeGreaterThan(0);
    expect(degradation(Object.values(stats)).level).toBe('live');
  });
});

describe('degradation', () => {
  const stat = (job: string, priority: number, lagMs: number, lastPassLagMs = 0): JobLagStats => ({ job, priority, intervalMs: 1000, lagMs, maxLagMs: lagMs, lastPassLagMs, lastPassMs: 0, passes: 1 });

  it('is none while every job keeps time, else names the most important late class and the late jobs in priority order', () => {
    expect(degradation([stat('ticker', 0, 0), stat('ohlcv:1m', 2, 0)])).toEqual({ level: null, lateJobs: [] });
    expect(degradation([stat('ohlcv:1m', 2, 500), stat('trades', 1, 0, 200), stat('ticker', 0, 0)])).toEqual({ level: 'recent', lateJobs: ['trades', 'ohlcv:1m'] });
  });
});
