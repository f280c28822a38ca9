import type { Clock } from '../core/clock.ts';
import { JobLag } from './job-lag.ts';
import { PriorityGate } from './priority-gate.ts';

export interface RefreshJob {
  /** e.g. 'ticker', 'ohlcv:1m'; also the error and readiness label. */
  name: string;
  intervalMs: number;
  /** 0 first. When the REST budget is short, a lower number's calls go out first. Default 0. */
  priority?: number;
  run(symbol: string): Promise<void>;
}

export interface RefreshSchedulerOptions {
  clock: Clock;
  /** REST calls in flight at once across every job. */
  concurrency: number;
  signal: AbortSignal;
  /** The tracked universe at the moment a pass starts. */
  symbols(): readonly string[];
  /** Still tracked when its turn in the pass comes: a symbol evicted mid-pass (delisted) is skipped, not fetched. */
  isTracked?(symbol: string): boolean;
  /** Refresh loops run while this holds (the manager's monitoring flag); the cleanup never reads it. */
  running(): boolean;
  onError(job: string, symbol: string, err: unknown): void;
}

export interface JobLagStats {
  job: string;
  priority: number;
  intervalMs: number;
  /** How far the job is behind its interval now: a pass still running past the next one's start. */
  lagMs: number;
  /** The worst lag since start, and the last completed pass's lag and duration. */
  maxLagMs: number;
  lastPassLagMs: number;
  lastPassMs: number;
  passes: number;
}

/**
 * One loop per job: a pass over every tracked symbol, each pass due one interval after the previous
 * pass began. A pass that overruns its interval is the job's lag; the next pass starts at once. A
 * failed symbol is reported and the pass goes on. Passes share one concurrency limit, handed out by
 * priority, so when REST calls are scarce the ticker and book stay fresh and history falls behind.
 */
export class RefreshScheduler {
  private readonly gate: PriorityGate;
  private readonly firstPassDone = new Set<string>();
  private readonly loops: Promise<void>[] = [];
  private readonly lags = new Map<string, { lag: JobLag; priority: number }>();
  private jobCount = 0;

  constructor(private readonly o: RefreshSchedulerOptions) {
    this.gate = new PriorityGate(o.concurrency);
  }

  start(jobs: readonly RefreshJob[]): void {
    this.jobCount += jobs.length;
    for (const job of jobs) {
      const lag = new JobLag(job.intervalMs);
      this.lags.set(job.name, { lag, priority: job.priority ?? 0 });
      this.loops.push(this.loop(job, lag));
    }
  }

  /** True once every started job finished one pass over the universe. */
  get initialPassDone(): boolean {
    return this.jobCount > 0 && this.firstPassDone.size >= this.jobCount;
  }

  /** Each job's lag behind its interval, read now. */
  lagStats(): JobLagStats[] {
    const now = this.o.clock.now();
    return [...this.lags].map(([job, { lag, priority }]) => ({ job, priority, ...lag.read(now) }));
  }

  /** Settles when every loop has ended (after the signal aborts or `running()` turns false). */
  async settled(): Promise<void> {
    await Promise.allSettled(this.loops);
  }

  private async loop(job: RefreshJob, lag: JobLag): Promise<void> {
    while (this.o.running() && !this.o.signal.aborted) {
      const start = this.o.clock.now();
      lag.passStarted(start);
      await this.pass(job);
      lag.passEnded(this.o.clock.now());
      this.firstPassDone.add(job.name);
      try {
        await this.o.clock.sleep(Math.max(0, start + job.intervalMs - this.o.clock.now()), this.o.signal);
      } catch {
        return;
      }
    }
  }

  private async pass(job: RefreshJob): Promise<void> {
    await Promise.all(
      this.o.symbols().map(async (symbol) => {
        await this.gate.acquire(job.priority ?? 0);
        try {
          if (!this.o.signal.aborted && (this.o.isTracked?.(symbol) ?? true)) await job.run(symbol);
        } catch (err) {
          this.o.onError(job.name, symbol, err);
        } finally {
          this.gate.release();
        }
      }),
    );
  }
}
