/** What one bench run measures. Scenarios and sizes are data; the runner only walks them. */

/** One update of a key within a tick: a new candle, or a re-send of the forming one. */
export type UpdateKind = 'new' | 'update';

export interface Scenario {
  name: string;
  /** The updates each key takes in one event-loop tick, in order. */
  pattern: readonly UpdateKind[];
}

export const SCENARIOS: readonly Scenario[] = [
  { name: 'new', pattern: Array<UpdateKind>(10).fill('new') },
  { name: 'mix', pattern: ['new', ...Array<UpdateKind>(9).fill('update')] },
];

export interface BenchConfig {
  /** Distinct (symbol, timeframe) keys: 200 symbols × 6 timeframes. */
  keys: number;
  /** Candles kept per key. */
  cap: number;
  /** Untimed ticks between the fill and the timed ticks: a live cache is never measured cold. */
  warmTicks: number;
  /** Timed ticks per measurement; each feeds `pattern` to every key, then yields via setImmediate. */
  ticks: number;
  /** Repetitions per (implementation, scenario); the report gives medians. */
  reps: number;
  /** trimTo passes over all keys for the cleanup p99. */
  cleanupPasses: number;
  /** Full gc() calls timed per measurement (median taken). */
  gcSamples: number;
}

export const DEFAULT_CONFIG: BenchConfig = { keys: 1200, cap: 1000, warmTicks: 3, ticks: 30, reps: 5, cleanupPasses: 50, gcSamples: 5 };

/** A smoke run: same sizes (so numbers stay comparable), one rep, fewer ticks. */
export const QUICK_CONFIG: BenchConfig = { ...DEFAULT_CONFIG, ticks: 10, reps: 1, cleanupPasses: 20 };

/** A tiny untimed pass first, so the first real measurement of each implementation is not its JIT warm-up. */
export const WARMUP_CONFIG: BenchConfig = { keys: 200, cap: 200, warmTicks: 0, ticks: 60, reps: 1, cleanupPasses: 5, gcSamples: 1 };

/** The targets for the ring, checked against the medians. */
export interface Target {
  implementation: string;
  scenario: string | null;
  metric: 'appendsVsCcxt' | 'bytesPerCandle' | 'eldP99Ms' | 'gcMs' | 'cleanupP99Ms';
  op: '>=' | '<=' | '<';
  value: number;
}

export const RING = 'ohlcv-ring';
export const CCXT = 'ccxt-array-cache';
export const PUSH_SLICE = 'push-slice';

export const TARGETS: readonly Target[] = [
  { implementation: RING, scenario: 'new', metric: 'appendsVsCcxt', op: '>=', value: 40 },
  { implementation: RING, scenario: 'mix', metric: 'appendsVsCcxt', op: '>=', value: 10 },
  { implementation: RING, scenario: null, metric: 'bytesPerCandle', op: '<=', value: 52 },
  { implementation: RING, scenario: null, metric: 'eldP99Ms', op: '<', value: 5 },
  { implementation: RING, scenario: null, metric: 'gcMs', op: '<', value: 10 },
  { implementation: RING, scenario: null, metric: 'cleanupP99Ms', op: '<', value: 5 },
];
