import { describe, expect, it } from 'vitest';
import { ServiceMetrics } from './service-metrics.ts';

describe('ServiceMetrics', () => {
  it('exposes cache sizes, cleanup results, and cumulative source counts as counters', async () => {
    const metrics = new ServiceMetrics();
    const source = { restCalls: 5, wsMessages: 100, reconnects: 0, errorsByKind: { RateLimitExceeded: 2 } };
    metrics.bind({
      cacheEntries: () => ({ ticker: 3, ohlcv: 1440 }),
      candlesRetained: () => 1440,
      candleBytes: () => 69_120,
      source: () => source,
      managerErrors: () => ({ 'invalid:ohlcv:highBelowLow': 1 }),
      units: { handled: () => ({ trades: 7 }), listingTurns: () => ({ added: 2, evicted: 1 }) },
    });
    metrics.recordCleanup({ ohlcvTrimmed: 4, oiTrimmed: 2, evicted: 1, gcRan: true, memoryBeforeMb: 10, memoryAfterMb: 9, durationMs: 1.5, gcMs: 9 });

    const first = (await metrics.render()).body;
    expect(first).toContain('leakproof_cache_entries{component="ticker"} 3');
    expect(first).toContain('leakproof_candles_retained 1440');
    expect(first).toContain('leakproof_cleanup_trimmed_total{kind="ohlcv"} 4');
    expect(first).toContain('leakproof_cleanup_evicted_total 1');
    expect(first).toContain('leakproof_cleanup_duration_seconds_count 1');
    expect(first).toContain('leakproof_ws_messages_total 100');
    expect(first).toContain('leakproof_errors_total{kind="RateLimitExceeded"} 2');
    expect(first).toContain('leakproof_errors_total{kind="invalid:ohlcv:highBelowLow"} 1');
    expect(first).toMatch(/leakproof_memory_bytes\{kind="rss"\} \d+/);
    expect(first).toContain('leakproof_messages_handled_total{kind="trades"} 7');
    expect(first).toContain('leakproof_listing_turns_total{change="evicted"} 1');
    expect(first).toMatch(/^leakproof_retained_heap_bytes [1-9]\d*$/m);
    expect(first).toMatch(/^leakproof_shard_info\{index="0",count="1"\} 1$/m);

    source.wsMessages = 250;
    source.errorsByKind.RateLimitExceeded = 3;
    const second = (await metrics.render()).body;
    expect(second).toContain('leakproof_ws_messages_total 250');
    expect(second).toContain('leakproof_errors_total{kind="RateLimitExceeded"} 3');
  });

  it('keeps its own registry, so two services in one process do not collide', async () => {
    const a = new ServiceMetrics();
    const b = new ServiceMetrics();
    expect(a.registry).not.toBe(b.registry);
    expect((await b.render()).body).toContain('leakproof_cleanup_duration_seconds');
  });

  it('serves prom-client default metrics in every service registry, collected once per process', async () => {
    const a = new ServiceMetrics();
    const b = new ServiceMetrics();
    for (const body of [(await a.render()).body, (await b.render()).body]) {
      expect(body).toMatch(/^process_resident_memory_bytes [1-9]\d*$/m);
      expect(body).toMatch(/^nodejs_heap_size_used_bytes [1-9]\d*$/m);
      expect(body).toContain('# TYPE nodejs_gc_duration_seconds histogram');
    }
    expect(a.registry.getSingleMetric('nodejs_gc_duration_seconds')).toBe(b.registry.getSingleMetric('nodejs_gc_duration_seconds'));
  });
});
