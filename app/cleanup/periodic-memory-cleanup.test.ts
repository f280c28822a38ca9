import { describe, expect, it } from 'vitest';
import type { CleanupResult } from '../manager/cleanup-result.ts';
import { captureLog } from '../testing/capture-log.ts';
import { FakeClock } from '../testing/fake-clock.ts';
import { PERIODIC_LINE_RE, STARTUP_LINE_RE } from './cleanup-lines.ts';
import { periodicMemoryCleanup } from './periodic-memory-cleanup.ts';

const ok = (): CleanupResult => ({
  ohlcvTrimmed: 1,
  oiTrimmed: 0,
  evicted: 0,
  gcRan: false,
  memoryBeforeMb: 80,
  memoryAfterMb: 79.5,
  durationMs: 1,
  gcMs: 0,
});

function setup(cleanup: () => CleanupResult = ok) {
  const clock = new FakeClock();
  const log = captureLog();
  const controller = new AbortController();
  let calls = 0;
  const task = periodicMemoryCleanup({
    intervalSeconds: 600,
    signal: controller.signal,
    clock,
    log,
    cleanup: () => {
      calls += 1;
      return cleanup();
    },
  });
  return { clock, log, controller, task, calls: () => calls };
}

describe('periodicMemoryCleanup', () => {
  it('cleans immediately, before any sleep, with the three startup lines in order', async () => {
    const { clock, log, controller, task, calls } = setup();
    await clock.whenSleeping(1);
    expect(calls()).toBe(1);
    expect(log.lines.slice(0, 4)).toEqual([
      '🧹 Memory cleanup task started (interval: 600s)',
      '🧹 Running immediate startup memory cleanup...',
      expect.stringMatching(STARTUP_LINE_RE),
      '🧹 Next memory cleanup in 600s',
    ]);
    controller.abort();
    await expect(task).resolves.toEqual({ runs: 1, failures: 0 });
  });

  it('runs again every interval, not before', async () => {
    const { clock, log, controller, task, calls } = setup();
    await clock.whenSleeping(1);
    await clock.advance(599_999);
    expect(calls()).toBe(1);
    await clock.advance(1);
    await clock.whenSleeping(1);
    expect(calls()).toBe(2);
    await clock.advance(600_000);
    await clock.whenSleeping(1);
    expect(calls()).toBe(3);
    expect(log.lines.filter((l) => l === '🧹 Starting periodic memory cleanup...')).toHaveLength(2);
    expect(log.lines.filter((l) => PERIODIC_LINE_RE.test(l))).toHaveLength(2);
    expect(log.lines.filter((l) => l === '🧹 Next memory cleanup in 600s')).toHaveLength(3);
    controller.abort();
    await task;
  });

  it('ends promptly when aborted mid-sleep, without another run', async () => {
    const { clock, controller, task, calls } = setup();
    await clock.whenSleeping(1);
    await clock.advance(300_000);
    controller.abort();
    await expect(task).resolves.toEqual({ runs: 1, failures: 0 });
    expect(calls()).toBe(1);
    expect(clock.pendingSleeps).toBe(0);
  });

  it('logs an exception in one run and goes on with the next', async () => {
    let n = 0;
    const { clock, log, controller, task } = setup(() => {
      n += 1;
      if (n === 2) throw new Error('boom');
      return ok();
    });
    await clock.whenSleeping(1);
    await clock.advance(600_000);
    await clock.whenSleeping(1);
    await clock.advance(600_000);
    await clock.whenSleeping(1);
    controller.abort();
    await expect(task).resolves.toEqual({ runs: 3, failures: 1 });
    expect(log.errors.map((e) => e.msg)).toEqual(['❌ Periodic memory cleanup failed: boom']);
    expect(log.lines.filter((l) => PERIODIC_LINE_RE.test(l))).toHaveLength(1);
  });

  it('still runs the startup cleanup when the signal is already aborted, then stops', async () => {
    const controller = new AbortController();
    controller.abort();
    const log = captureLog();
    const summary = await periodicMemoryCleanup({ signal: controller.signal, clock: new FakeClock(), log, cleanup: ok });
    expect(summary).toEqual({ runs: 1, failures: 0 });
    expect(log.lines[0]).toBe('🧹 Memory cleanup task started (interval: 600s)');
  });
});
