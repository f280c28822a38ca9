import type { CleanupResult } from '../manager/cleanup-result.ts';

/**
 * The cleanup log lines are a contract with deploy's log proof (docs/leak-history-and-log-contract.md),
 * so their text lives in one pure module together with the regexes that tests and probes use.
 */

export const taskStartedLine = (intervalSeconds: number) => `🧹 Memory cleanup task started (interval: ${intervalSeconds}s)`;
export const IMMEDIATE_START_LINE = '🧹 Running immediate startup memory cleanup...';
export const PERIODIC_START_LINE = '🧹 Starting periodic memory cleanup...';
export const nextCleanupLine = (intervalSeconds: number) => `🧹 Next memory cleanup in ${intervalSeconds}s`;

export type CleanupKind = 'startup' | 'periodic';

/** Tenths of a MB as an integer, so that before, after and their delta agree digit for digit. */
const tenths = (mb: number) => Math.round(mb * 10);
const mb = (t: number) => `${(t / 10).toFixed(1)}MB`;

export function completeLine(kind: CleanupKind, r: CleanupResult): string {
  const head = kind === 'startup' ? '✅ Startup cleanup complete' : '✅ Memory cleanup complete';
  const seconds = ((r.durationMs + r.gcMs) / 1000).toFixed(2);
  const before = tenths(r.memoryBeforeMb);
  const after = tenths(r.memoryAfterMb);
  const delta = after - before;
  // A rise is not a freeing: "(+0.2MB freed)" said so until issue 10. No change counts as freed nothing.
  const change = delta > 0 ? `+${mb(delta)} grew` : `-${mb(-delta)} freed`;
  return (
    `${head} in ${seconds}s: OHLCV trimmed: ${r.ohlcvTrimmed}, OI trimmed: ${r.oiTrimmed}, ` +
    `GC: ${r.gcRan ? 'yes' : 'no'}, Memory: ${mb(before)} → ${mb(after)} (${change})`
  );
}

export const failedLine = (kind: CleanupKind, err: unknown) =>
  `❌ ${kind === 'startup' ? 'Startup' : 'Periodic'} memory cleanup failed: ${err instanceof Error ? err.message : String(err)}`;

/**
 * The contract's startup-line regex, widened to the honest wording: `(-15.8MB freed)` or `(+0.2MB grew)`.
 * It also accepts the older `(+0.2MB freed)` of builds already deployed, so a rollback's proof passes.
 */
const fields =
  String.raw`in \d+\.\d{2}s: OHLCV trimmed: \d+, OI trimmed: \d+, GC: (yes|no), Memory: \d+\.\dMB → \d+\.\dMB \([+-]\d+\.\dMB (freed|grew)\)`;
/** The pattern as a string, for proofs that build their own RegExp (journal MESSAGE, unanchored). */
export const STARTUP_LINE_PATTERN = String.raw`✅ Startup cleanup complete ${fields}`;
export const STARTUP_LINE_RE = new RegExp(STARTUP_LINE_PATTERN, 'u');
export const PERIODIC_LINE_RE = new RegExp(String.raw`✅ Memory cleanup complete ${fields}`, 'u');
export const TASK_STARTED_RE = /🧹 Memory cleanup task started \(interval: (\d+)s\)/u;
export const NEXT_CLEANUP_RE = /🧹 Next memory cleanup in (\d+)s/u;
