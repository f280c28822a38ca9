import { systemClock, type Clock } from '../core/clock.ts';
import type { CleanupResult } from '../manager/cleanup-result.ts';
import {
  IMMEDIATE_START_LINE,
  PERIODIC_START_LINE,
  completeLine,
  failedLine,
  nextCleanupLine,
  taskStartedLine,
  type CleanupKind,
} from './cleanup-lines.ts';

/** The part of a pino logger the task uses; the lines go into the message text for `journalctl -o cat`. */
export interface CleanupLog {
  info(msg: string): void;
  error(obj: object, msg: string): void;
}

export interface PeriodicMemoryCleanupOptions {
  intervalSeconds?: number;
  /** The only way the task stops: a shutdown abort, mid-sleep too. */
  signal: AbortSignal;
  clock?: Clock;
  log: CleanupLog;
  cleanup: () => CleanupResult;
}

export interface CleanupTaskSummary {
  runs: number;
  failures: number;
}

/**
 * Immediate-then-periodic memory cleanup. The loop is guarded by the shutdown signal alone, never by
 * a "monitoring" flag that may still be false when the task starts: that flag made the original's loop
 * exit right after the startup cleanup.
 */
export async function periodicMemoryCleanup({
  intervalSeconds = 600,
  signal,
  clock = systemClock,
  log,
  cleanup,
}: PeriodicMemoryCleanupOptions): Promise<CleanupTaskSummary> {
  const summary: CleanupTaskSummary = { runs: 0, failures: 0 };
  const runOnce = (kind: CleanupKind) => {
    summary.runs += 1;
    try {
      log.info(completeLine(kind, cleanup()));
    } catch (err) {
      summary.failures += 1;
      log.error({ err }, failedLine(kind, err));
    }
  };

  log.info(taskStartedLine(intervalSeconds));
  log.info(IMMEDIATE_START_LINE);
  runOnce('startup');

  while (!signal.aborted) {
    const sleeping = clock.sleep(intervalSeconds * 1000, signal);
    log.info(nextCleanupLine(intervalSeconds));
    try {
      await sleeping;
    } catch (err) {
      // eslint-disable-next-line @typescript-eslint/no-unnecessary-condition -- it changed while the sleep was awaited
      if (signal.aborted) break;
      throw err;
    }
    log.info(PERIODIC_START_LINE);
    runOnce('periodic');
  }
  return summary;
}
