import { describe, expect, it } from 'vitest';
import { FakeClock } from '../testing/fake-clock.ts';
import { RefreshScheduler } from './refresh-scheduler.ts';

describe('RefreshScheduler', () => {
  it('runs each job on its own interval, goes on past a failing symbol, and bounds concurrency', async () => {
    const clock = new FakeClock();
    const controller = new AbortController();
    const runs: string[] = [];
    const errors: string[] = [];
    let inFlight = 0;
    let maxInFlight = 0;
    const scheduler = new RefreshScheduler({
      clock,
      concurrency: 2,
      signal: controller.signal,
      symbols: () => ['A', 'B', 'C', 'D'],
      running: () => true,
      onError: (job, symbol) => errors.push(`${job}:${symbol}`),
    });
    const job = (name: string, intervalMs: number) => ({
      name,
      intervalMs,
      run: async (symbol: string) => {
        inFlight++;
        maxInFlight = Math.max(maxInFlight, inFlight);
        await new Promise((r) => setImmediate(r));
        inFlight--;
        if (symbol === 'B') throw new Error('down');
        runs.push(`${name}:${symbol}`);
      },
    });
    scheduler.start([job('fast', 60_000), job('slow', 300_000)]);
    await clock.whenSleeping(2);
    expect(scheduler.initialPassDone).toBe(true);
    for (let i = 0; i < 5; i++) {
      await clock.advance(60_000);
      await clock.whenSleeping(2);
    }
    controller.abort();
    await scheduler.settled();

    const count = (name: string) => runs.filter((r) => r === name).length;
    expect(count('fast:A')).toBe(6);
    expect(count('slow:A')).toBe(2);
    expect(count('fast:C')).toBe(6);
    expect(errors.filter((e) => e === 'fast:B')).toHaveLength(6);
    expect(maxInFlight).toBe(2);
  });

  it('stops its loops when running() turns false', async () => {
    const clock = new FakeClock();
    let running = true;
    let passes = 0;
    const scheduler = new RefreshScheduler({
      clock,
      concurrency: 1,
      signal: new AbortController().signal,
      symbols: () => ['A'],
      running: () => running,
      onError: () => {},
    });
    scheduler.start([{ name: 'j', intervalMs: 1000, run: async () => { passes++; } }]);
    await clock.whenSleeping(1);
    running = false;
    await clock.advance(1000);
    await scheduler.settled();
    expect(passes).toBe(1);
  });

  it('serves the budget by priority and reports the lag of a job whose pass overruns its interval', async () => {
    const clock = new FakeClock();
    const t0 = clock.now();
    const controller = new AbortController();
    const order: string[] = [];
    const scheduler = new RefreshScheduler({
      clock,
      concurrency: 1,
      signal: controller.signal,
      symbols: () => ['A', 'B', 'C'],
      running: () => true,
      onError: () => {},
    });
    // Each call costs one simulated second of the single slot, as a short budget would.
    const job = (name: string, intervalMs: number, priority: number) => ({
      name,
      intervalMs,
      priority,
      run: async (symbol: string) => {
        order.push(`${name}:${symbol}@${clock.now() - t0}`);
        await clock.sleep(1000);
      },
    });
    scheduler.start([job('history', 10_000, 2), job('ticker', 2_000, 0)]);
    for (let i = 0; i < 6; i++) {
      await clock.whenSleeping(1);
      await clock.advance(1000);
    }
    // history:A took the free slot; every queued ticker call then went before the rest of history,
    // which got the slot only in the moment no ticker call was waiting.
    expect(order).toEqual(['history:A@0', 'ticker:A@1000', 'ticker:B@2000', 'ticker:C@3000', 'history:B@4000', 'ticker:A@5000', 'ticker:B@6000']);
    const stats = Object.fromEntries(scheduler.lagStats().map((s) => [s.job, s]));
    // ticker's first pass ended at 4 s against a 2 s interval; its second started at once (fixed rate).
    expect(stats['ticker']).toMatchObject({ priority: 0, passes: 1, lastPassMs: 4000, lastPassLagMs: 2000, maxLagMs: 2000 });
    // history has run 6 s of a 10 s interval: not late yet, though starved.
    expect(stats['history']).toMatchObject({ priority: 2, passes: 0, lagMs: 0 });
    controller.abort();
    await clock.advance(60_000);
    await scheduler.settled();
  });
});
