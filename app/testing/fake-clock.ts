import type { Clock } from '../core/clock.ts';

interface Sleeper {
  wakeAt: number;
  resolve: () => void;
}

/**
 * A clock that only moves when a test says so. Sleeps wake in deadline order on `advance`, and reject
 * with the signal's reason the moment it aborts, like systemClock.
 */
export class FakeClock implements Clock {
  private t: number;
  private sleepers: Sleeper[] = [];
  private armedWaiters: Array<{ count: number; resolve: () => void }> = [];

  constructor(startMs = Date.UTC(2025, 0, 1)) {
    this.t = startMs;
  }

  now(): number {
    return this.t;
  }

  get pendingSleeps(): number {
    return this.sleepers.length;
  }

  sleep(ms: number, signal?: AbortSignal): Promise<void> {
    return new Promise<void>((resolve, reject) => {
      if (signal?.aborted) {
        reject(signal.reason);
        return;
      }
      const sleeper: Sleeper = {
        wakeAt: this.t + ms,
        resolve: () => {
          signal?.removeEventListener('abort', onAbort);
          resolve();
        },
      };
      const onAbort = () => {
        this.sleepers = this.sleepers.filter((s) => s !== sleeper);
        reject(signal!.reason);
      };
      signal?.addEventListener('abort', onAbort, { once: true });
      this.sleepers.push(sleeper);
      this.notifyArmed();
    });
  }

  /** Resolves once at least `count` sleeps are pending; bounded by `timeoutMs` of real time. */
  async whenSleeping(count = 1, timeoutMs = 2000): Promise<void> {
    if (this.sleepers.length >= count) return;
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`no ${count} pending sleep(s) within ${timeoutMs} ms`)), timeoutMs);
      this.armedWaiters.push({
        count,
        resolve: () => {
          clearTimeout(timer);
          resolve();
        },
      });
    });
  }

  /** Moves time forward, waking each due sleeper in order and letting its continuation run. */
  async advance(ms: number): Promise<void> {
    const target = this.t + ms;
    for (;;) {
      const due = this.sleepers.filter((s) => s.wakeAt <= target).sort((a, b) => a.wakeAt - b.wakeAt)[0];
      if (!due) break;
      this.sleepers = this.sleepers.filter((s) => s !== due);
      this.t = Math.max(this.t, due.wakeAt);
      due.resolve();
      await new Promise((r) => setImmediate(r));
    }
    this.t = target;
  }

  private notifyArmed(): void {
    const ready = this.armedWaiters.filter((w) => this.sleepers.length >= w.count);
    this.armedWaiters = this.armedWaiters.filter((w) => this.sleepers.length < w.count);
    for (const w of ready) w.resolve();
  }
}
