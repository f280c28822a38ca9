import { describe, expect, it } from 'vitest';
import { SimClock } from './sim-clock.ts';

describe('SimClock', () => {
  it('runs `speed` times faster than the injected real clock, from startMs', () => {
    let real = 1_000;
    const clock = new SimClock({ startMs: 1_700_000_000_000, speed: 60, realNow: () => real });
    expect(clock.now()).toBe(1_700_000_000_000);
    real += 1_000;
    expect(clock.now()).toBe(1_700_000_060_000);
  });

  it('sleeps ms/speed of real time', async () => {
    const clock = new SimClock({ speed: 100 });
    const t0 = performance.now();
    const sim0 = clock.now();
    await clock.sleep(5_000);
    expect(performance.now() - t0).toBeLessThan(1_000);
    expect(clock.now() - sim0).toBeGreaterThanOrEqual(4_900);
  });

  it('rejects with the abort reason mid-sleep and when already aborted', async () => {
    const clock = new SimClock({ speed: 1 });
    const controller = new AbortController();
    const sleeping = clock.sleep(60_000, controller.signal);
    controller.abort(new Error('stop now'));
    await expect(sleeping).rejects.toThrow('stop now');
    await expect(clock.sleep(1, controller.signal)).rejects.toThrow('stop now');
  });

  it('names the field of a bad option', () => {
    expect(() => new SimClock({ speed: 0 })).toThrow(/speed must be a finite number > 0/);
    expect(() => new SimClock({ startMs: Number.NaN })).toThrow(/startMs must be finite/);
  });
});
