import { describe, expect, it } from 'vitest';
import { SteppedClock } from './stepped-clock.ts';

describe('SteppedClock', () => {
  it('moves only when advanced, and wakes sleeps on its own time, earliest first', async () => {
    const clock = new SteppedClock({ startMs: 1_000, speed: 600 });
    const woke: string[] = [];
    const a = clock.sleep(30_000).then(() => woke.push('a'));
    const b = clock.sleep(10_000).then(() => woke.push('b'));
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(clock.now()).toBe(1_000);
    expect(woke).toEqual([]);
    expect(clock.waiting).toBe(2);
    clock.advance(10_000);
    await b;
    expect(woke).toEqual(['b']);
    clock.advance(25_000);
    await a;
    expect(woke).toEqual(['b', 'a']);
    expect(clock.now()).toBe(36_000);
    expect(clock.elapsedMs).toBe(35_000);
    expect(clock.waiting).toBe(0);
  });

  it('rejects an aborted sleep and forgets it', async () => {
    const clock = new SteppedClock({ startMs: 0 });
    const controller = new AbortController();
    const sleeping = clock.sleep(1_000, controller.signal);
    controller.abort(new Error('stop'));
    await expect(sleeping).rejects.toThrow('stop');
    expect(clock.waiting).toBe(0);
    await expect(clock.sleep(5, controller.signal)).rejects.toThrow('stop');
  });

  it('yields a turn for a zero sleep and refuses to go back in time', async () => {
    const clock = new SteppedClock({ startMs: 0 });
    await clock.sleep(0);
    expect(() => clock.advance(-1)).toThrow(RangeError);
  });
});
