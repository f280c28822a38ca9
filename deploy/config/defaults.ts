import { NEXT_CLEANUP_RE } from '../../app/cleanup/cleanup-lines.ts';
import type { UnitName } from '../../reports/units/unit-fit.ts';
import { UNIT_MEMORY_DEFAULTS } from '../../reports/units/unit-memory.ts';

/** The contract lines, from the app's own cleanup-lines: the startup proof and the first armed periodic sleep. */
export { STARTUP_LINE_PATTERN } from '../../app/cleanup/cleanup-lines.ts';
export const NEXT_CLEANUP_PATTERN = NEXT_CLEANUP_RE.source;
export const PERIODIC_DONE_PATTERN = '✅ Memory cleanup complete in ';

/**
 * QA's stated per-unit floors (bytes retained per WS message, per listing turn, per hour): a watch slope
 * above one of them, beyond its interval, fails the deploy in the units QA judged the build in. The QA
 * report's own `soak.tolerance` takes their place when the gate read one; these are its values today.
 */
export const QA_UNIT_FLOORS: Readonly<Record<UnitName, number>> = { message: 4, listing: 16 * 1024, hour: 256 * 1024 };

export const DEFAULTS = {
  user: 'deploy',
  port: 22,
  appDir: '/srv/leakproof',
  service: 'leakproof',
  proofTimeoutMs: 30_000,
  graceMs: 10_000,
  watchMs: 0,
  // The service's retained heap settles about a minute after start (JIT, ccxt's first markets, caches filling).
  warmupMs: 60_000,
  /** The watch fails when growth at the host's traffic would reach MemoryHigh sooner than this. */
  memoryDays: 7,
  memoryMax: UNIT_MEMORY_DEFAULTS.memoryMax,
  memoryHigh: UNIT_MEMORY_DEFAULTS.memoryHigh,
  serviceUser: 'leakproof',
  keepVerified: 5,
} as const;
