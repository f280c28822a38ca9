import type { Clock } from '../core/clock.ts';

export interface RefreshJob {
  /** e.g. 'ticker', 'ohlcv:1m'; also the error and readiness label. */
  name: string;
  intervalMs: number;
  run(symbol: string): Promise<void>;
}

export interface RefreshSchedulerOptions {
  clock: Clock;
  /** REST calls in flight at once across every job. */
  concurrency: number;
  signal: AbortSignal;
  /** The tracked universe at the moment a pass starts. */
  symbols(): readonly string[];
  /** Refresh loops run while this holds (the manager's monitoring flag); the cleanup never reads it. */
  running(): boolean;
  onError(job: string, symbol: string, err: unknown): void;
}

/**
 * One loop per job: a pass over every tracked symbol, then a sleep of the job's own interval. A failed
 * symbol is reported and the pass goes on. Passes share one concurrency limit, so a 1,000-symbol
 * universe never puts 1,000 requests in flight.
 */
export class RefreshScheduler {
  private inFlight = 0;
  private readonly waiting: Array<() => void> = [];
  private readonly firstPassDone = new Set<string>();
  private readonly loops: Promise<void>[] = [];
  private jobCount = 0;

  constructor(private readonly o: RefreshSchedulerOptions) {}

  start(jobs: readonly RefreshJob[]): void {
    this.jobCount += jobs.length;
    for (const job of jobs) this.loops.push(this.loop(job));
  }

  /** True once every started job finished one pass over the universe. */
  get initialPassDone(): boolean {
    return this.jobCount > 0 && this.firstPassDone.size >= this.jobCount;
  }

  /** Settles when every loop has ended (after the signal aborts or `running()` turns false). */
  async settled(): Promise<void> {
    await Promise.allSettled(this.loops);
  }

  private async loop(job: RefreshJob): Promise<void> {
    while (this.o.running() && !this.o.signal.aborted) {
      await this.pass(job);
      this.firstPassDone.add(job.name);
      try {
        await this.o.clock.sleep(job.intervalMs, this.o.signal);
      } catch {
        return;
      }
    }
  }

  private async pass(job: RefreshJob): Promise<void> {
    await Promise.all(
      this.o.symbols().map(async (symbol) => {
        await this.acquire();
        try {
          if (!this.o.signal.aborted) await job.run(symbol);
        } catch (err) {
          this.o.onError(job.name, symbol, err);
        } finally {
          this.release();
        }
      }),
    );
  }

  private acquire(): Promise<void> {
    if (this.inFlight < this.o.concurrency) {
      this.inFlight++;
      return Promise.resolve();
    }
    return new Promise((resolve) => this.waiting.push(resolve));
  }

  private release(): void {
    const next = this.waiting.shift();
    if (next) next();
    else this.inFlight--;
  }
}
