import { performance } from 'node:perf_hooks';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';

export type Gc = () => void;

/**
 * The process's gc() when started with --expose-gc; otherwise the flag is switched on at run time and
 * gc is taken from a fresh context (so tests under vitest can measure too).
 */
export function resolveGc(): Gc {
  const existing = (globalThis as { gc?: Gc }).gc;
  if (typeof existing === 'function') return existing;
  setFlagsFromString('--expose-gc');
  return runInNewContext('gc') as Gc;
}

/** Bytes the caches can hold: V8 heap plus ArrayBuffer backing stores (where typed arrays live). */
export function retainedBytes(): number {
  const usage = process.memoryUsage();
  return usage.heapUsed + usage.arrayBuffers;
}

/** Duration of one call, in ms. */
export function timeMs(fn: () => void): number {
  const t0 = performance.now();
  fn();
  return performance.now() - t0;
}

export function median(values: readonly number[]): number {
  return percentile(values, 50);
}

/** Nearest-rank percentile; NaN for no values. */
export function percentile(values: readonly number[], p: number): number {
  if (values.length === 0) return Number.NaN;
  const sorted = [...values].sort((a, b) => a - b);
  const rank = Math.min(sorted.length, Math.max(1, Math.ceil((p / 100) * sorted.length)));
  return sorted[rank - 1] ?? Number.NaN;
}

/** Median over values that may be missing (a metric an implementation cannot produce). */
export function medianOrNull(values: ReadonlyArray<number | null>): number | null {
  const present = values.filter((v): v is number => v !== null);
  return present.length === 0 ? null : median(present);
}

/** Resolves on the next turn of the event loop, after pending I/O and timers had their chance. */
export const nextTick = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));
