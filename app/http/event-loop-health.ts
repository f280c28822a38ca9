import { monitorEventLoopDelay, type IntervalHistogram } from 'node:perf_hooks';

export interface EventLoopSnapshot {
  p99Ms: number;
  maxMs: number;
}

/**
 * Event-loop delay over a sliding pair of windows: the current one and the last complete one, so a
 * stall shows for at least one full window and a scrape right after a reset still sees data.
 */
export class EventLoopHealth {
  private readonly histogram: IntervalHistogram = monitorEventLoopDelay({ resolution: 10 });
  private previous: EventLoopSnapshot = { p99Ms: 0, maxMs: 0 };
  private readonly timer: NodeJS.Timeout;

  constructor(windowMs = 10_000) {
    this.histogram.enable();
    this.timer = setInterval(() => {
      this.previous = this.current();
      this.histogram.reset();
    }, windowMs);
    this.timer.unref();
  }

  snapshot(): EventLoopSnapshot {
    const now = this.current();
    return { p99Ms: Math.max(now.p99Ms, this.previous.p99Ms), maxMs: Math.max(now.maxMs, this.previous.maxMs) };
  }

  stop(): void {
    clearInterval(this.timer);
    this.histogram.disable();
  }

  private current(): EventLoopSnapshot {
    if (this.histogram.count === 0) return { p99Ms: 0, maxMs: 0 };
    return { p99Ms: this.histogram.percentile(99) / 1e6, maxMs: this.histogram.max / 1e6 };
  }
}
