import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from 'prom-client';
import type { CleanupResult } from '../manager/cleanup-result.ts';
import { SINGLE_SHARD, type Shard } from '../manager/shard.ts';
import { registerRestMetrics, type RestMetricsSources } from './rest-metrics.ts';

/** What the metrics read at scrape time; the manager provides it once it exists. */
export interface MetricsSources {
  cacheEntries(): Record<string, number>;
  candlesRetained(): number;
  candleBytes(): number;
  source(): { restCalls: number; wsMessages: number; reconnects: number; errorsByKind: Record<string, number> };
  /** Errors the manager counted itself (validation drops, handler failures), by kind. */
  managerErrors(): Record<string, number>;
  /** The REST pause and each refresh job's lag (rest-metrics.ts). */
  rest?: RestMetricsSources;
}

let processMetrics: Registry | undefined;

/**
 * prom-client's standard process and Node metrics (process_resident_memory_bytes, nodejs_heap_*,
 * nodejs_eventloop_lag_*, nodejs_gc_duration_seconds, ...). Collected once per process: each
 * collectDefaultMetrics call arms an event-loop monitor and a GC observer that are never released, so a
 * process that starts many services (tests, in-process soaks) would otherwise keep one set per service.
 */
function defaultProcessMetrics(): Registry {
  if (!processMetrics) {
    processMetrics = new Registry();
    collectDefaultMetrics({ register: processMetrics });
  }
  return processMetrics;
}

/**
 * A registry of the service's own, not prom-client's global default, so tests and several services in
 * one process never collide; it also holds the shared process metrics above. Cumulative counts owned elsewhere (the source's stats) are turned into
 * counters by adding the delta at each scrape.
 */
export class ServiceMetrics {
  readonly registry = Registry.merge([defaultProcessMetrics(), new Registry()]);
  private sources: MetricsSources | undefined;
  private readonly seen = new Map<string, number>();

  private readonly cleanupDuration = new Histogram({
    name: 'leakproof_cleanup_duration_seconds',
    help: 'runMemoryCleanupSync duration without gc',
    buckets: [0.0005, 0.001, 0.002, 0.005, 0.01, 0.05, 0.25, 1],
    registers: [this.registry],
  });
  private readonly gcDuration = new Histogram({
    name: 'leakproof_cleanup_gc_seconds',
    help: 'gc() duration inside a cleanup',
    buckets: [0.001, 0.005, 0.01, 0.025, 0.05, 0.1, 0.5],
    registers: [this.registry],
  });
  private readonly trimmed = new Counter({
    name: 'leakproof_cleanup_trimmed_total',
    help: 'Caches trimmed by cleanups, by kind',
    labelNames: ['kind'],
    registers: [this.registry],
  });
  private readonly evicted = new Counter({
    name: 'leakproof_cleanup_evicted_total',
    help: 'Symbols evicted because they left the tracked universe',
    registers: [this.registry],
  });

  /** `shard` labels leakproof_shard_info, so a scrape of N shards tells them apart. */
  constructor(shard: Shard = SINGLE_SHARD) {
    new Gauge({
      name: 'leakproof_shard_info',
      help: 'Always 1; the labels say which static shard of the symbol universe this process owns',
      labelNames: ['index', 'count'],
      registers: [this.registry],
    }).set({ index: String(shard.index), count: String(shard.count) }, 1);
    this.deltaCounter('leakproof_ws_messages_total', 'WebSocket messages received (rate() gives msg/s)', (s) => s.source().wsMessages);
    this.deltaCounter('leakproof_rest_calls_total', 'REST calls made', (s) => s.source().restCalls);
    this.deltaCounter('leakproof_ws_reconnects_total', 'WebSocket reconnects', (s) => s.source().reconnects);
    registerRestMetrics(this.registry, () => this.sources?.rest);
    const read = () => this.sources;
    const seen = this.seen;
    new Gauge({
      name: 'leakproof_cache_entries',
      help: 'Entries held per cache component',
      labelNames: ['component'],
      registers: [this.registry],
      collect() {
        const s = read();
        if (!s) return;
        for (const [component, n] of Object.entries(s.cacheEntries())) this.set({ component }, n);
      },
    });
    new Gauge({
      name: 'leakproof_candles_retained',
      help: 'OHLCV candles held across all keys',
      registers: [this.registry],
      collect() {
        const s = read();
        if (s) this.set(s.candlesRetained());
      },
    });
    new Gauge({
      name: 'leakproof_candle_bytes',
      help: 'Bytes the OHLCV stores retain for candles',
      registers: [this.registry],
      collect() {
        const s = read();
        if (s) this.set(s.candleBytes());
      },
    });
    new Gauge({
      name: 'leakproof_memory_bytes',
      help: 'Process memory by kind (rss, heapUsed, heapTotal, external, arrayBuffers)',
      labelNames: ['kind'],
      registers: [this.registry],
      collect() {
        const usage: Record<string, number> = { ...process.memoryUsage() };
        for (const [kind, bytes] of Object.entries(usage)) this.set({ kind }, bytes);
      },
    });
    new Counter({
      name: 'leakproof_errors_total',
      help: 'Errors by kind (ccxt error class, validation reason, handler)',
      labelNames: ['kind'],
      registers: [this.registry],
      collect() {
        const s = read();
        if (!s) return;
        const all = { ...s.source().errorsByKind };
        for (const [k, n] of Object.entries(s.managerErrors())) all[k] = (all[k] ?? 0) + n;
        for (const [kind, n] of Object.entries(all)) {
          const key = `errors:${kind}`;
          const delta = n - (seen.get(key) ?? 0);
          if (delta > 0) this.inc({ kind }, delta);
          seen.set(key, n);
        }
      },
    });
  }

  bind(sources: MetricsSources): void {
    this.sources = sources;
  }

  recordCleanup(r: CleanupResult): void {
    this.cleanupDuration.observe(r.durationMs / 1000);
    if (r.gcRan) this.gcDuration.observe(r.gcMs / 1000);
    this.trimmed.inc({ kind: 'ohlcv' }, r.ohlcvTrimmed);
    this.trimmed.inc({ kind: 'openInterestHistory' }, r.oiTrimmed);
    this.evicted.inc(r.evicted);
  }

  async render(): Promise<{ contentType: string; body: string }> {
    return { contentType: this.registry.contentType, body: await this.registry.metrics() };
  }

  private deltaCounter(name: string, help: string, pick: (s: MetricsSources) => number): void {
    const read = () => this.sources;
    const seen = () => this.seen;
    new Counter({
      name,
      help,
      registers: [this.registry],
      collect() {
        const s = read();
        if (!s) return;
        const total = pick(s);
        const delta = total - (seen().get(name) ?? 0);
        if (delta > 0) this.inc(delta);
        seen().set(name, total);
      },
    });
  }
}
