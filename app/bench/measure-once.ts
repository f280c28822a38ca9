import { monitorEventLoopDelay, PerformanceObserver } from 'node:perf_hooks';
import type { Candle } from '../core/market-types.ts';
import type { BenchConfig, Scenario } from './bench-config.ts';
import type { Contender } from './contenders.ts';
import type { Gc } from './measure.ts';
import { median, nextTick, percentile, retainedBytes, timeMs } from './measure.ts';

const MIN = 60_000;
const T0 = 1_700_000_040_000;

/** One measurement of one implementation in one scenario. */
export interface Sample {
  implementation: string;
  scenario: string;
  /** Updates per second of the median tick: one preempted tick on a shared machine cannot dominate it. */
  appendsPerSec: number;
  /** All updates over all timed ticks' time: the plain throughput, preemptions included. */
  appendsPerSecOverall: number;
  bytesPerCandle: number;
  eldP99Ms: number;
  /** The same ticks feeding no cache: the event-loop delay this machine has anyway. */
  eldBaselineP99Ms: number;
  gcMs: number;
  /** The same gc() with no cache retained: what this machine charges for any full gc right now. */
  gcBaselineMs: number;
  cleanupP99Ms: number | null;
  /** GC events V8 reported during the timed ticks. */
  gcEvents: number;
  retainedCandles: number;
}

/** A deterministic candle around a per-key price, so every implementation is fed the same stream. */
function makeCandle(ts: number, key: number, wobble: number): Candle {
  const mid = 100 + (key % 97) + wobble;
  return [ts, mid, mid + 0.5, mid - 0.5, mid + 0.1, 10 + wobble];
}

/**
 * Fills `keys` stores to their cap (untimed), then feeds `ticks` ticks of the scenario's pattern to every
 * key, one setImmediate apart, timing only the feed; then measures memory, gc() and trimTo passes.
 */
export async function measureOnce(c: Contender, scenario: Scenario, config: BenchConfig, gc: Gc): Promise<Sample> {
  // Whatever ran before (a warm-up, another design) must not be marked or swept during the timed ticks.
  gc();
  const eldBaseline = await runTicks(new Float64Array(config.keys), scenario, config, null);
  // Collect the baseline ticks' garbage before taking the memory baseline, or it would be subtracted.
  gc();
  const gcBaselineMs = timeGc(gc, config);
  const baseline = retainedBytes();
  const stores = Array.from({ length: config.keys }, () => c.create(config.cap));
  const forming = new Float64Array(config.keys);
  stores.forEach((store, key) => {
    c.feed([store], Array.from({ length: config.cap }, (_, i) => makeCandle(T0 + i * MIN, key, 0)), config.cap);
    forming[key] = T0 + (config.cap - 1) * MIN;
  });

  const fed = await runTicks(forming, scenario, config, (batch, perKey) => c.feed(stores, batch, perKey));

  gc();
  gc();
  const retainedCandles = stores.reduce((sum: number, store) => sum + c.size(store), 0);
  const bytesPerCandle = (retainedBytes() - baseline) / retainedCandles;
  const gcMs = timeGc(gc, config);
  const cleanupP99Ms = c.trimTo ? cleanupP99(c, stores, config) : null;
  const updatesPerTick = config.keys * scenario.pattern.length;
  return {
    implementation: c.name,
    scenario: scenario.name,
    appendsPerSec: updatesPerTick / (median(fed.tickMs) / 1000),
    appendsPerSecOverall: (updatesPerTick * fed.tickMs.length) / (fed.tickMs.reduce((a, b) => a + b, 0) / 1000),
    bytesPerCandle,
    eldP99Ms: fed.eldP99Ms,
    eldBaselineP99Ms: eldBaseline.eldP99Ms,
    gcMs,
    gcBaselineMs,
    cleanupP99Ms,
    gcEvents: fed.gcEvents,
    retainedCandles,
  };
}

type Feed = (batch: readonly Candle[], perKey: number) => void;

/**
 * The input of every tick, built untimed before the ticks start: the event-loop delay then measures the
 * caches' work and the garbage they make, not the harness making candles (a parser's cost, not a cache's).
 */
function buildBatches(forming: Float64Array, scenario: Scenario, config: BenchConfig): Candle[][] {
  const perKey = scenario.pattern.length;
  return Array.from({ length: config.ticks }, (_, t) => {
    const batch: Candle[] = new Array<Candle>(forming.length * perKey);
    for (let key = 0; key < forming.length; key++) {
      for (let j = 0; j < perKey; j++) {
        if (scenario.pattern[j] === 'new') forming[key]! += MIN;
        batch[key * perKey + j] = makeCandle(forming[key]!, key, (t + 1 + j) % 7);
      }
    }
    return batch;
  });
}

/** Runs the timed ticks; with no feed, the same ticks idle (the machine's floor for the event-loop delay). */
async function runTicks(forming: Float64Array, scenario: Scenario, config: BenchConfig, feed: Feed | null) {
  const batches = feed === null ? [] : buildBatches(forming, scenario, config);
  const eld = monitorEventLoopDelay({ resolution: 1 });
  let gcEvents = 0;
  const observer = new PerformanceObserver((list) => (gcEvents += list.getEntries().length));
  observer.observe({ entryTypes: ['gc'] });
  eld.enable();
  const tickMs: number[] = [];
  const perKey = scenario.pattern.length;
  for (let tick = 0; tick < config.ticks; tick++) {
    await nextTick();
    const batch = batches[tick];
    if (feed !== null && batch !== undefined) tickMs.push(timeMs(() => feed(batch, perKey)));
  }
  await nextTick();
  eld.disable();
  gcEvents += observer.takeRecords().length;
  observer.disconnect();
  return { tickMs, eldP99Ms: eld.percentile(99) / 1e6, gcEvents };
}

const timeGc = (gc: Gc, config: BenchConfig) => median(Array.from({ length: config.gcSamples }, () => timeMs(gc)));

/** Each pass trims every store by one more candle, as a cleanup finding a little excess per key would. */
function cleanupP99(c: Contender, stores: unknown[], config: BenchConfig): number {
  const trimTo = c.trimTo!;
  const samples = Array.from({ length: config.cleanupPasses }, (_, pass) => {
    const limit = Math.max(0, config.cap - 1 - pass);
    return timeMs(() => {
      for (const store of stores) trimTo(store, limit);
    });
  });
  return percentile(samples, 99);
}
