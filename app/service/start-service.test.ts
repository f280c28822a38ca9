import { afterEach, describe, expect, it } from 'vitest';
import { configSchema } from '../config/config-schema.ts';
import { STARTUP_LINE_RE } from '../cleanup/cleanup-lines.ts';
import { createLogger } from '../log/create-logger.ts';
import { FakeMarketSource } from '../testing/fake-market-source.ts';
import { lineSink } from '../testing/line-sink.ts';
import { startService, type ServiceHandle } from './start-service.ts';

let service: ServiceHandle | undefined;
afterEach(async () => {
  await service?.stop();
  service = undefined;
});

describe('startService (in process, fake source)', () => {
  it('starts emulator, source, manager, cleanup, HTTP in order, serves, and stops everything', async () => {
    const sink = lineSink();
    const config = configSchema.parse({ http: { port: 0 }, topN: 3, sim: { symbols: 5 } });
    let source: FakeMarketSource | undefined;
    service = await startService({
      config,
      log: createLogger({ destination: sink.stream }),
      createSource: (ctx) => {
        expect(ctx.emulator?.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
        source = new FakeMarketSource(['A/USDT:USDT', 'B/USDT:USDT', 'C/USDT:USDT', 'D/USDT:USDT'], () => ctx.clock!.now());
        return source;
      },
    });
    const msgs = sink.messages();
    const at = (re: RegExp) => msgs.findIndex((m) => re.test(m));
    expect(at(/^Emulator listening on http:\/\/127\.0\.0\.1:\d+/)).toBe(0);
    expect(at(/^🧹 Memory cleanup task started \(interval: 600s\)$/)).toBeGreaterThan(0);
    expect(at(STARTUP_LINE_RE)).toBeGreaterThan(at(/Running immediate startup/));
    expect(at(/^HTTP listening on http:\/\/127\.0\.0\.1:\d+$/)).toBeGreaterThan(at(STARTUP_LINE_RE));
    expect(msgs).toContain(`HTTP listening on http://127.0.0.1:${service.port}`);

    await waitFor(() => service!.manager.ready);
    const status = (await (await fetch(`${service.url}/status`)).json()) as Record<string, unknown>;
    expect(status).toMatchObject({ ready: true, exchange: 'sim', trackedSymbols: ['A/USDT:USDT', 'B/USDT:USDT', 'C/USDT:USDT'] });
    expect(status.lastCleanup).toMatchObject({ ohlcvTrimmed: 0 });
    expect((status.caches as Record<string, number>).ohlcv).toBeGreaterThan(0);
    // How old each component's newest data is, and which streams are stale or given up on.
    expect(status.dataAgeSeconds).toMatchObject({ ticker: { symbols: 3, newestSeconds: expect.any(Number), stalestSeconds: expect.any(Number) } });
    expect(status.streams).toEqual({ staleBooks: [], resyncing: [], dropped: [] });
    const metrics = await (await fetch(`${service.url}/metrics`)).text();
    expect(metrics).toMatch(/leakproof_candles_retained [1-9]/);
    expect(metrics).toMatch(/leakproof_cache_entries\{component="ticker"\} 3/);
    expect(metrics).toContain('leakproof_cleanup_duration_seconds_count 1');
    // prom-client's defaults beside ours, from the same scrape of the real server.
    expect(metrics).toMatch(/^process_resident_memory_bytes [1-9]\d*$/m);
    expect(metrics).toMatch(/^nodejs_heap_size_used_bytes [1-9]\d*$/m);
    expect(metrics).toMatch(/^nodejs_eventloop_lag_seconds \d/m);
    expect(metrics).toContain('# TYPE nodejs_gc_duration_seconds histogram');
    expect((await fetch(`${service.url}/readyz`)).status).toBe(200);

    const url = service.url;
    await service.stop();
    await expect(service.cleanupTask).resolves.toEqual({ runs: 1, failures: 0 });
    expect(service.manager.monitoring).toBe(false);
    expect(source?.watched.size).toBe(0);
    await expect(fetch(`${url}/healthz`)).rejects.toThrow();
    service = undefined;
  });

  it('runs without the cleanup task when disabled (the soak "before" build)', async () => {
    const sink = lineSink();
    service = await startService({
      config: configSchema.parse({ exchange: 'bybit', http: { port: 0 }, symbols: ['A/USDT:USDT'] }),
      log: createLogger({ destination: sink.stream }),
      cleanup: false,
      createSource: () => new FakeMarketSource(['A/USDT:USDT'], () => Date.now()),
    });
    expect(service.cleanupTask).toBeUndefined();
    expect(service.emulator).toBeUndefined();
    expect(sink.messages().some((m) => m.includes('🧹'))).toBe(false);
  });
});

async function waitFor(cond: () => boolean, timeoutMs = 5000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!cond()) {
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await new Promise((r) => setTimeout(r, 20));
  }
}
