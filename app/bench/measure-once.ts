import { monitorEventLoopDelay, performance, PerformanceObserver } from 'node:perf_hooks';
import type { BenchConfig, Scenario } from './bench-config.ts';
import type { Contender } from './contenders.ts';
import type { Gc } from './measure.ts';
import { median, nextTick, percentile, retainedBytes, timeMs } from './measure.ts';

const MIN = 60_000;
const IDLE_WINDOW_MS = 250;
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
  /** An idle event loop over 250 ms just before: the delay this machine adds to any measurement now. */
  eldBaselineP99Ms: number;
  gcMs: number;
  /** The same gc() with no cache retained: what this machine charges for any full gc right now. */
  gcBaselineMs: number;
  cleanupP99Ms: number | null;
  /** GC events V8 reported during the timed ticks. */
  gcEvents: number;
  retainedCandles: number;
}

/** Writes a deterministic candle around a per-key price at `row`, so every implementation is fed the same stream. */
function writeCandle(out: Float64Array, row: number, ts: number, key: number, wobble: number): void {
  const mid = 100 + (key % 97) + wobble;
  out.set([ts, mid, mid + 0.5, mid - 0.5, mid + 0.1, 10 + wobble], row * 6);
}

/**
 * Fills `keys` stores to their cap (untimed), then feeds `ticks` ticks of the scenario's pattern to every
 * key, one setImmediate apart, timing only the feed; then measures memory, gc() and trimTo passes.
 */
export async function measureOnce(c: Contender, scenario: Scenario, config: BenchConfig, gc: Gc): Promise<Sample> {
  const forming = new Float64Array(config.keys).fill(T0 + (config.cap - 1) * MIN);
  const batches = buildBatches(forming, scenario, config.warmTicks + config.ticks);
  // Whatever ran before (a warm-up, another design) must not be marked or swept during the timed ticks.
  gc();
  const eldBaselineP99Ms = await idleEldP99(IDLE_WINDOW_MS);
  // Collect the baseline ticks' garbage before taking the memory baseline, or it would be subtracted.
  gc();
  const gcBaselineMs = timeGc(gc, config);
  const baseline = retainedBytes();
  const stores = Array.from({ length: config.keys }, () => c.create(config.cap));
  const fill = new Float64Array(config.cap * 6);
  stores.forEach((store, key) => {
    for (let i = 0; i < config.cap; i++) writeCandle(fill, i, T0 + i * MIN, key, 0);
    c.feed([store], fill, 0, config.cap);
  });

  const fed = await runTicks(batches, scenario, config, (offset, perKey) => c.feed(stores, batches, offset, perKey));

  gc();
  gc();
  const retainedCandles = stores.reduce((sum: number, store) => sum + c.size(store), 0);
  const bytesPerCandle = (retainedBytes() - baseline) / retainedCandles;
  const gcMs = timeGc(gc, config);
  const cleanupP99Ms = c.trimTo ? cleanupP99(c.trimTo.bind(c), stores, config) : null;
  const updatesPerTick = config.keys * scenario.pattern.length;
  return {
    implementation: c.name,
    scenario: scenario.name,
    appendsPerSec: updatesPerTick / (median(fed.tickMs) / 1000),
    appendsPerSecOverall: (updatesPerTick * fed.tickMs.length) / (fed.tickMs.reduce((a, b) => a + b, 0) / 1000),
    bytesPerCandle,
    eldP99Ms: fed.eldP99Ms,
    eldBaselineP99Ms,
    gcMs,
    gcBaselineMs,
    cleanupP99Ms,
    gcEvents: fed.gcEvents,
    retainedCandles,
  };
}

type Feed = (offset: number, perKey: number) => void;

/**
 * The input of every tick as one flat Float64Array, built before the first gc(): off the V8 heap, so
 * neither making it nor holding it shows in the ticks' event-loop delay or gc (a parser's cost, not a
 * cache's). Tick t's rows start at t * keys * perKey * 6.
 */
function buildBatches(forming: Float64Array, scenario: Scenario, ticks: number): Float64Array {
  const perKey = scenario.pattern.length;
  const out = new Float64Array(ticks * forming.length * perKey * 6);
  for (let t = 0, row = 0; t < ticks; t++) {
    for (let key = 0; key < forming.length; key++) {
      let ts = forming[key] ?? Number.NaN;
      for (let j = 0; j < perKey; j++, row++) {
        if (scenario.pattern[j] === 'new') ts += MIN;
        writeCandle(out, row, ts, key, (t + 1 + j) % 7);
      }
      forming[key] = ts;
    }
  }
  return out;
}

/** The event-loop delay of an idle loop turning over `ms`: what this machine adds to any measurement now. */
async function idleEldP99(ms: number): Promise<number> {
  const eld = monitorEventLoopDelay({ resolution: 1 });
  eld.enable();
  for (const end = performance.now() + ms; performance.now() < end; ) await nextTick();
  eld.disable();
  return eld.percentile(99) / 1e6;
}

/**
 * Feeds `config.warmTicks` untimed ticks, then the timed ones, each its slice of `batches`. The warm ticks
 * stand for the traffic a live cache has always just seen: right after the fill, the first ticks touch
 * every ring's oldest (cold) cache lines, and with ~30 ELD samples two such ticks would be the p99.
 */
async function runTicks(batches: Float64Array, scenario: Scenario, config: BenchConfig, feed: Feed) {
  const perKey = scenario.pattern.length;
  const tickLength = batches.length / (config.warmTicks + config.ticks);
  for (let tick = 0; tick < config.warmTicks; tick++) {
    await nextTick();
    feed(tick * tickLength, perKey);
  }
  const eld = monitorEventLoopDelay({ resolution: 1 });
  let gcEvents = 0;
  const observer = new PerformanceObserver((list) => (gcEvents += list.getEntries().length));
  observer.observe({ entryTypes: ['gc'] });
  eld.enable();
  const tickMs: number[] = [];
  for (let tick = config.warmTicks; tick < config.warmTicks + config.ticks; tick++) {
    await nextTick();
    tickMs.push(timeMs(() => feed(tick * tickLength, perKey)));
  }
  await nextTick();
  eld.disable();
  gcEvents += observer.takeRecords().length;
  observer.disconnect();
  return { tickMs, eldP99Ms: eld.percentile(99) / 1e6, gcEvents };
}

const timeGc = (gc: Gc, config: BenchConfig) => median(Array.from({ length: config.gcSamples }, () => timeMs(gc)));

/** Each pass trims every store by one more candle, as a cleanup finding a little excess per key would. */
function cleanupP99(trimTo: (store: unknown, n: number) => number, stores: unknown[], config: BenchConfig): number {
  const samples = Array.from({ length: config.cleanupPasses }, (_, pass) => {
    const limit = Math.max(0, config.cap - 1 - pass);
    return timeMs(() => {
      for (const store of stores) trimTo(store, limit);
    });
  });
  return percentile(samples, 99);
}
