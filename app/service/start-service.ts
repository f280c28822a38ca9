import type { OhlcvStoreFactory } from '../caches/ohlcv-store.ts';
import { periodicMemoryCleanup, type CleanupTaskSummary } from '../cleanup/periodic-memory-cleanup.ts';
import type { Secrets, ServiceConfig } from '../config/config-schema.ts';
import type { Clock } from '../core/clock.ts';
import type { MarketSource } from '../exchange/market-source.ts';
import { EventLoopHealth } from '../http/event-loop-health.ts';
import { startHttpServer } from '../http/http-server.ts';
import { createLogger, type Logger } from '../log/create-logger.ts';
import { MarketDataManager } from '../manager/market-data-manager.ts';
import type { MemoryProbe } from '../manager/memory-probe.ts';
import { ServiceMetrics } from '../metrics/service-metrics.ts';
import { createDefaultSource, startSimEmulator } from './market-source-factory.ts';
import { serviceStatus } from './service-status.ts';

/** app/sim's handle, named without a static import of app/sim (see startSimEmulator). */
export type EmulatorHandle = Awaited<ReturnType<typeof startSimEmulator>>;

export interface SourceContext {
  config: ServiceConfig;
  secrets: Secrets;
  clock: Clock | undefined;
  emulator: EmulatorHandle | undefined;
  log: Logger;
}

export interface StartServiceOptions {
  config: ServiceConfig;
  secrets?: Secrets;
  log?: Logger;
  /** Default: the emulator's SimClock in sim mode, else wall-clock time. */
  clock?: Clock;
  /** The QA soak injects a naive, unbounded store here to reproduce the original leak. */
  createOhlcvStore?: OhlcvStoreFactory;
  /** false runs without the memory cleanup task (the soak's "before" build). Default: config.cleanup.enabled. */
  cleanup?: boolean;
  /** Default: ccxt bybit, pointed at the emulator in sim mode. */
  createSource?: (ctx: SourceContext) => MarketSource | Promise<MarketSource>;
  memory?: MemoryProbe;
}

export interface ServiceHandle {
  /** The bound HTTP port (useful with http.port 0). */
  port: number;
  url: string;
  manager: MarketDataManager;
  metrics: ServiceMetrics;
  emulator: EmulatorHandle | undefined;
  /** Settles when the cleanup task ends (after stop); undefined when cleanup is disabled. */
  cleanupTask: Promise<CleanupTaskSummary> | undefined;
  stop(): Promise<void>;
}

/**
 * Starts the service in its contract order: emulator (sim), exchange source, manager, memory cleanup
 * task, HTTP. The cleanup task is created after the manager exists and runs whatever the manager's
 * monitoring flag says; only `stop()` ends it.
 */
export async function startService(options: StartServiceOptions): Promise<ServiceHandle> {
  const { config } = options;
  const log = options.log ?? createLogger(config.log);
  const startedAt = Date.now();
  const undo: Array<() => Promise<void>> = [];
  try {
    const emulator = config.exchange === 'sim' ? await startSimEmulator(config, options.clock) : undefined;
    if (emulator) {
      undo.push(() => emulator.stop());
      log.info(`Emulator listening on ${emulator.url} (${config.sim.symbols} symbols, speed ${config.sim.speed}x)`);
    }
    const clock = options.clock ?? emulator?.clock;
    const ctx: SourceContext = { config, secrets: options.secrets ?? {}, clock, emulator, log };
    const source = await (options.createSource ?? createDefaultSource)(ctx);
    undo.push(() => source.close());

    const metrics = new ServiceMetrics(config.shard);
    const manager = new MarketDataManager({
      source,
      config,
      log,
      ...(clock ? { clock } : {}),
      ...(options.createOhlcvStore ? { createOhlcvStore: options.createOhlcvStore } : {}),
      ...(options.memory ? { memory: options.memory } : {}),
      onCleanup: (r) => metrics.recordCleanup(r),
    });
    undo.push(() => manager.stop());
    metrics.bind({
      cacheEntries: () => manager.cacheEntries(),
      candlesRetained: () => manager.candlesRetained(),
      candleBytes: () => manager.candleBytes(),
      source: () => source.stats(),
      managerErrors: () => manager.errors,
      rest: {
        restPause: () => source.stats().restPause ?? null,
        restPauses: () => source.stats().restPauses ?? {},
        refreshLag: () => manager.refreshLag(),
      },
    });
    const { index, count } = config.shard;
    if (count > 1) log.info(`Shard ${index} of ${count} (0-based): this process owns the symbols whose hash falls on ${index}`);
    manager.start().catch((err: unknown) => log.error({ err }, 'Market data manager failed to start'));

    const shutdown = new AbortController();
    const cleanupTask =
      (options.cleanup ?? config.cleanup.enabled)
        ? periodicMemoryCleanup({
            intervalSeconds: config.cleanup.intervalSeconds,
            signal: shutdown.signal,
            ...(clock ? { clock } : {}),
            log,
            cleanup: () => manager.runMemoryCleanupSync(),
          })
        : undefined;
    undo.push(async () => {
      shutdown.abort();
      await cleanupTask;
    });

    const eventLoop = new EventLoopHealth();
    undo.push(() => {
      eventLoop.stop();
      return Promise.resolve();
    });
    const http = await startHttpServer({
      host: config.http.host,
      port: config.http.port,
      maxEventLoopDelayMs: config.http.maxEventLoopDelayMs,
      eventLoop: () => eventLoop.snapshot(),
      ready: () => manager.ready,
      status: () => serviceStatus({ exchange: config.exchange, shard: config.shard, startedAt, manager, source, eventLoop: eventLoop.snapshot() }),
      metrics: () => metrics.render(),
    });
    undo.push(() => http.close());
    log.info(`HTTP listening on ${http.url}`);

    return { port: http.port, url: http.url, manager, metrics, emulator, cleanupTask, stop: once(() => unwind(undo, log)) };
  } catch (err) {
    await unwind(undo, log);
    throw err;
  }
}

/** Undoes the started parts in reverse order; one failing step does not keep the others open. */
async function unwind(undo: Array<() => Promise<void>>, log: Logger): Promise<void> {
  for (const step of undo.reverse()) {
    try {
      await step();
    } catch (err) {
      log.warn({ err }, 'A shutdown step failed');
    }
  }
}

function once(fn: () => Promise<void>): () => Promise<void> {
  let running: Promise<void> | undefined;
  return () => (running ??= fn());
}
