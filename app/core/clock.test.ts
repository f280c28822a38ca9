import { describe, expect, it } from 'vitest';
import { abortableSleep } from './clock.ts';

describe('abortableSleep', () => {
  it('resolves after the time has passed', async () => {
    const started = performance.now();
    await abortableSleep(30);
    expect(performance.now() - started).toBeGreaterThanOrEqual(25);
  });

  it('rejects mid-sleep with the signal’s own reason, at once', async () => {
    const ac = new AbortController();
    const reason = new Error('shutting down');
    const started = performance.now();
    const sleeping = abortableSleep(10_000, ac.signal);
    setTimeout(() => ac.abort(reason), 10);
    await expect(sleeping).rejects.toBe(reason);
    expect(performance.now() - started).toBeLessThan(1000);
  });

  it('rejects before sleeping when already aborted, with a default AbortError when no reason was given', async () => {
    const ac = new AbortController();
    ac.abort();
    await expect(abortableSleep(10_000, ac.signal)).rejects.toMatchObject({ name: 'AbortError' });
    await expect(abortableSleep(10_000, AbortSignal.abort('why'))).rejects.toBe('why');
  });
});
