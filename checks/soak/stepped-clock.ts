import { SimClock } from '../../app/sim/sim-clock.ts';

interface Sleeper {
  due: number;
  resolve(): void;
}

/**
 * The soak's clock: simulated time moves only when the soak's driver calls `advance`, and sleeps wake
 * on that time, never on a timer. A loaded machine then slows the run down but cannot change what
 * happens in a simulated hour. It is a SimClock, so the emulator and the service both run on it;
 * `speed` stays the nominal one that ccxt's throttle is scaled by.
 */
export class SteppedClock extends SimClock {
  private elapsed = 0;
  private sleepers: Sleeper[] = [];

  override now(): number {
    return this.startMs + this.elapsed;
  }

  /** Simulated ms since the clock started. */
  get elapsedMs(): number {
    return this.elapsed;
  }

  /** Sleepers waiting for a later time: the loops of the service and its streams, idle between steps. */
  get waiting(): number {
    return this.sleepers.length;
  }

  /** Moves simulated time on by `ms` and wakes every sleep that is due by then, earliest first. */
  advance(ms: number): void {
    if (!(Number.isFinite(ms) && ms >= 0)) throw new RangeError(`advance needs a finite ms >= 0, got ${String(ms)}`);
    this.elapsed += ms;
    const now = this.now();
    const due = this.sleepers.filter((s) => s.due <= now).sort((a, b) => a.due - b.due);
    if (due.length === 0) return;
    this.sleepers = this.sleepers.filter((s) => s.due > now);
    for (const s of due) s.resolve();
  }

  override sleep(ms: number, signal?: AbortSignal): Promise<void> {
    return new Promise<void>((resolve, reject) => {
      if (signal?.aborted) return reject(signal.reason);
      // A zero sleep (a pass that overran its interval) yields a macrotask, as a zero timer would.
      if (!(ms > 0)) return void setImmediate(resolve);
      const onAbort = () => {
        this.sleepers = this.sleepers.filter((s) => s !== sleeper);
        reject(signal?.reason);
      };
      const sleeper: Sleeper = {
        due: this.now() + ms,
        resolve: () => {
          signal?.removeEventListener('abort', onAbort);
          resolve();
        },
      };
      this.sleepers.push(sleeper);
      signal?.addEventListener('abort', onAbort, { once: true });
    });
  }
}
