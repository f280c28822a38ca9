/**
 * A refresh job's lag: how far its passes run past the moment the next pass was due (one interval
 * after a pass began). 0 while the job keeps its interval. Pure arithmetic on the clock's ms.
 */
export class JobLag {
  private passStart: number | undefined;
  private running = false;
  private maxLag = 0;
  private lastLag = 0;
  private lastPass = 0;
  private passes = 0;

  constructor(readonly intervalMs: number) {}

  passStarted(now: number): void {
    this.passStart = now;
    this.running = true;
  }

  passEnded(now: number): void {
    if (this.passStart === undefined) return;
    this.lastPass = now - this.passStart;
    this.lastLag = Math.max(0, this.lastPass - this.intervalMs);
    this.maxLag = Math.max(this.maxLag, this.lastLag);
    this.running = false;
    this.passes += 1;
  }

  read(now: number): { intervalMs: number; lagMs: number; maxLagMs: number; lastPassLagMs: number; lastPassMs: number; passes: number } {
    const live = this.running && this.passStart !== undefined ? Math.max(0, now - this.passStart - this.intervalMs) : 0;
    return { intervalMs: this.intervalMs, lagMs: live, maxLagMs: Math.max(this.maxLag, live), lastPassLagMs: this.lastLag, lastPassMs: this.lastPass, passes: this.passes };
  }
}
