import type { MarketDataManager } from '../manager/market-data-manager.ts';
import type { MarketSource } from '../exchange/market-source.ts';
import type { EventLoopSnapshot } from '../http/event-loop-health.ts';

const mb = (bytes: number) => Math.round((bytes / (1024 * 1024)) * 10) / 10;

/** The /status document: what is cached, the last cleanup, and every error count, read at request time. */
export function serviceStatus(o: {
  exchange: string;
  startedAt: number;
  manager: MarketDataManager;
  source: MarketSource;
  eventLoop: EventLoopSnapshot;
}) {
  const memory = process.memoryUsage();
  const source = o.source.stats();
  return {
    service: 'leakproof',
    exchange: o.exchange,
    uptimeSeconds: Math.round((Date.now() - o.startedAt) / 1000),
    ready: o.manager.ready,
    monitoring: o.manager.monitoring,
    trackedSymbols: o.manager.trackedSymbols(),
    caches: o.manager.cacheEntries(),
    candlesRetained: o.manager.candlesRetained(),
    candleBytes: o.manager.candleBytes(),
    lastCleanup: o.manager.lastCleanup ?? null,
    errors: { source: source.errorsByKind, manager: o.manager.errors },
    source: { restCalls: source.restCalls, wsMessages: source.wsMessages, reconnects: source.reconnects },
    memory: { rssMb: mb(memory.rss), heapUsedMb: mb(memory.heapUsed), arrayBuffersMb: mb(memory.arrayBuffers) },
    eventLoop: o.eventLoop,
  };
}
