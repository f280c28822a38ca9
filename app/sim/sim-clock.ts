import { abortableSleep, type Clock } from '../core/clock.ts';

export interface SimClockOptions {
  /** Simulated epoch ms at the moment of construction. Default: the real time now. */
  startMs?: number;
  /** Simulated ms per real ms; 60 = one simulated minute per real second. Must be > 0. */
  speed?: number;
  /** Real monotonic ms source, injectable for tests. Default: performance.now. */
  realNow?: () => number;
}

/**
 * Accelerated time shared by the emulator and, in sim mode, the service, so that candles the
 * emulator stamps "now" are not "in the future" for the service's validation.
 */
export class SimClock implements Clock {
  readonly speed: number;
  readonly startMs: number;
  private readonly realNow: () => number;
  private readonly realStart: number;

  constructor(options: SimClockOptions = {}) {
    const speed = options.speed ?? 1;
    if (!Number.isFinite(speed) || speed <= 0) {
      throw new RangeError(`SimClock speed must be a finite number > 0, got ${String(speed)}`);
    }
    const startMs = options.startMs ?? Date.now();
    if (!Number.isFinite(startMs)) throw new RangeError(`SimClock startMs must be finite, got ${String(startMs)}`);
    this.speed = speed;
    this.startMs = startMs;
    this.realNow = options.realNow ?? (() => performance.now());
    this.realStart = this.realNow();
  }

  now(): number {
    return Math.floor(this.startMs + (this.realNow() - this.realStart) * this.speed);
  }

  /** Real ms that `simMs` of this clock's time take. */
  toRealMs(simMs: number): number {
    return Math.max(0, simMs / this.speed);
  }

  sleep(ms: number, signal?: AbortSignal): Promise<void> {
    return abortableSleep(this.toRealMs(ms), signal);
  }
}
