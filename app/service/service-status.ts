import type { MarketDataManager } from '../manager/market-data-manager.ts';
import type { MarketSource, SourceStats } from '../exchange/market-source.ts';
import type { JobLagStats } from '../manager/refresh-scheduler.ts';
import type { EventLoopSnapshot } from '../http/event-loop-health.ts';
import type { Shard } from '../manager/shard.ts';
import { degradation } from '../manager/budget-degradation.ts';

const mb = (bytes: number) => Math.round((bytes / (1024 * 1024)) * 10) / 10;

const isoOrNull = (ms: number | undefined) => (ms === undefined ? null : new Date(ms).toISOString());

/**
 * The global REST pause (null when none), each refresh job's lag behind its interval in seconds, and
 * which priority class a short budget has made late (history first, by design).
 */
function restStatus(source: SourceStats, jobs: readonly JobLagStats[]) {
  const p = source.restPause ?? null;
  return {
    paused: p ? { reason: p.reason, since: isoOrNull(p.since), until: isoOrNull(p.until), probing: p.probing, failedProbes: p.strikes } : null,
    pauses: source.restPauses ?? {},
    degraded: degradation(jobs),
    jobs: jobs.map((j) => ({
      job: j.job,
      priority: j.priority,
      intervalSeconds: j.intervalMs / 1000,
      lagSeconds: j.lagMs / 1000,
      maxLagSeconds: j.maxLagMs / 1000,
      lastPassSeconds: j.lastPassMs / 1000,
      passes: j.passes,
    })),
  };
}

/** The /status document: what is cached, the last cleanup, and every error count, read at request time. */
export function serviceStatus(o: {
  exchange: string;
  shard: Shard;
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
    shard: { index: o.shard.index, count: o.shard.count },
    uptimeSeconds: Math.round((Date.now() - o.startedAt) / 1000),
    ready: o.manager.ready,
    monitoring: o.manager.monitoring,
    trackedSymbols: o.manager.trackedSymbols(),
    caches: o.manager.cacheEntries(),
    dataAgeSeconds: o.manager.dataAges(),
    streams: { staleBooks: o.manager.staleBooks(), resyncing: source.topics?.resyncing ?? [], dropped: source.topics?.dropped ?? [] },
    candlesRetained: o.manager.candlesRetained(),
    candleBytes: o.manager.candleBytes(),
    lastCleanup: o.manager.lastCleanup ?? null,
    errors: { source: source.errorsByKind, manager: o.manager.errors },
    source: { restCalls: source.restCalls, wsMessages: source.wsMessages, reconnects: source.reconnects },
    rest: restStatus(source, o.manager.refreshLag()),
    memory: { rssMb: mb(memory.rss), heapUsedMb: mb(memory.heapUsed), arrayBuffersMb: mb(memory.arrayBuffers) },
    eventLoop: o.eventLoop,
  };
}
