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
    scheduler.start([{ name: 'j', intervalMs: 1000, run: async () => void passes++ }]);
    await clock.whenSleeping(1);
    running = false;
    await clock.advance(1000);
    await scheduler.settled();
    expect(passes).toBe(1);
  });
});
