import { NEXT_CLEANUP_RE } from '../../app/cleanup/cleanup-lines.ts';

/** The contract lines, from the app's own cleanup-lines: the startup proof and the first armed periodic sleep. */
export { STARTUP_LINE_PATTERN } from '../../app/cleanup/cleanup-lines.ts';
export const NEXT_CLEANUP_PATTERN = NEXT_CLEANUP_RE.source;
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
  memoryHigh: '448M',
  serviceUser: 'leakproof',
  keepVerified: 5,
} as const;
