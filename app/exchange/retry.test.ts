import { describe, expect, it } from 'vitest';
import type { Clock } from '../core/clock.ts';
import { backoffMs, checkPolicy, withRetry } from './retry.ts';

const policy = { attempts: 3, baseMs: 100, maxMs: 250, jitter: 0.5 };

/** Records requested sleeps instead of waiting: the delays are the subject here. */
function recordingClock(): Clock & { slept: number[] } {
  const slept: number[] = [];
  return { slept, now: () => 0, sleep: async (ms) => void slept.push(ms) };
}

class Flaky extends Error {
  override name = 'Flaky';
}

describe('backoff', () => {
  it('doubles, caps at maxMs, and jitters downwards by at most `jitter`', () => {
    expect([0, 1, 2, 3].map((n) => backoffMs(policy, n, () => 0))).toEqual([100, 200, 250, 250]);
    expect(backoffMs(policy, 0, () => 1)).toBe(50);
  });

  it('names the field of an unbounded policy', () => {
    expect(() => checkPolicy('retry', { ...policy, attempts: 0 })).toThrow('retry.attempts must be >= 1');
    expect(() => checkPolicy('retry', { ...policy, maxMs: 10 })).toThrow('retry.maxMs must be finite and >= baseMs');
    expect(() => checkPolicy('retry', { ...policy, jitter: 2 })).toThrow('retry.jitter must be within [0, 1]');
  });
});

describe('withRetry', () => {
  it('stops after `attempts` tries, counting every failure', async () => {
    const clock = recordingClock();
    const errors: unknown[] = [];
    let calls = 0;
    const task = () => {
      calls += 1;
      return Promise.reject(new Flaky('down'));
    };
    await expect(withRetry(task, { policy, clock, random: () => 0, isRetryable: () => true, onError: (e) => errors.push(e) })).rejects.toThrow('down');
    expect(calls).toBe(3);
    expect(errors).toHaveLength(3);
    expect(clock.slept).toEqual([100, 200]);
  });

  it('rejects a non-retryable error at once', async () => {
    const clock = recordingClock();
    let calls = 0;
    const task = () => {
      calls += 1;
      return Promise.reject(new Error('bad request'));
    };
    await expect(withRetry(task, { policy, clock, random: () => 0, isRetryable: () => false, onError: () => {} })).rejects.toThrow('bad request');
    expect(calls).toBe(1);
    expect(clock.slept).toEqual([]);
  });

  it('returns the first success', async () => {
    let calls = 0;
    const task = () => (++calls < 2 ? Promise.reject(new Flaky('once')) : Promise.resolve('ok'));
    await expect(withRetry(task, { policy, clock: recordingClock(), random: () => 0, isRetryable: () => true, onError: () => {} })).resolves.toBe('ok');
    expect(calls).toBe(2);
  });
});
