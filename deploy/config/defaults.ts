/** The contract lines from DESIGN.md: the startup proof and the first armed periodic sleep. */
export const STARTUP_LINE_PATTERN =
  '✅ Startup cleanup complete in \\d+\\.\\d{2}s: OHLCV trimmed: \\d+, OI trimmed: \\d+, GC: (yes|no), Memory: \\d+\\.\\dMB → \\d+\\.\\dMB \\([+-]\\d+\\.\\dMB freed\\)';
export const NEXT_CLEANUP_PATTERN = '🧹 Next memory cleanup in \\d+s';
export const PERIODIC_DONE_PATTERN = '✅ Memory cleanup complete in ';

export const DEFAULTS = {
  user: 'deploy',
  port: 22,
  appDir: '/srv/leakproof',
  service: 'leakproof',
  proofTimeoutMs: 30_000,
  graceMs: 10_000,
  watchMs: 0,
  warmupMs: 30_000,
  memoryBudgetMbPerMin: 20,
  memoryMax: '512M',
  keepVerified: 5,
} as const;
