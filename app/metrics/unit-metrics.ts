import { Counter, Gauge, type Registry } from 'prom-client';

/** The units of work QA judges retained memory by, read at scrape time. */
export interface UnitMetricsSources {
  /** Stream messages handled, by topic kind (cumulative). */
  handled(): Readonly<Record<string, number>>;
  /** Streams started (a symbol listed into the universe) and released (evicted), cumulative. */
  listingTurns(): Readonly<{ added: number; evicted: number }>;
}

/** Cumulative counts owned elsewhere become counters by adding the delta at each scrape. */
function deltaCounter(registry: Registry, name: string, help: string, label: string, read: () => Readonly<Record<string, number>> | undefined): void {
  const seen = new Map<string, number>();
  new Counter({
    name,
    help,
    labelNames: [label],
    registers: [registry],
    collect() {
      for (const [key, n] of Object.entries(read() ?? {})) {
        const delta = n - (seen.get(key) ?? 0);
        if (delta > 0) this.inc({ [label]: key }, delta);
        seen.set(key, n);
      }
    },
  });
}

/** After a full gc both the V8 heap and the Buffers its objects hold (external) are what is retained. */
const retainedNow = (): number => {
  const m = process.memoryUsage();
  return m.heapUsed + m.external;
};

/**
 * The service's memory in QA's units: messages handled by topic kind, listing turns, and the heap
 * retained after each cleanup's gc with that cleanup's timestamp. A deploy watch or a Prometheus rule
 * divides retained-heap growth by these counters to get bytes per message, per listing turn and per hour.
 */
export class UnitMetrics {
  private readonly retained: Gauge;
  private readonly cleanupAt: Gauge;
  private readonly interval: Gauge;
  private readonly workAt: Gauge;

  constructor(registry: Registry, private readonly read: () => UnitMetricsSources | undefined, private readonly heapUsed: () => number = retainedNow) {
    deltaCounter(registry, 'leakproof_messages_handled_total', 'Stream messages handled, by topic kind', 'kind', () => read()?.handled());
    deltaCounter(registry, 'leakproof_listing_turns_total', 'Symbols whose stream started (added) or was released (evicted)', 'change', () => read()?.listingTurns());
    this.retained = new Gauge({ name: 'leakproof_retained_heap_bytes', help: "V8 heap used plus external (Buffer) memory right after the last cleanup's gc: a retained-memory sample", registers: [registry] });
    this.cleanupAt = new Gauge({ name: 'leakproof_cleanup_timestamp_seconds', help: 'Epoch seconds of the last finished memory cleanup', registers: [registry] });
    this.interval = new Gauge({ name: 'leakproof_cleanup_interval_seconds', help: 'Seconds between periodic memory cleanups', registers: [registry] });
    this.workAt = new Gauge({
      name: 'leakproof_retained_heap_work',
      help: 'The work done when the retained heap was sampled (messages handled, listing turns): exact x values for a fit',
      labelNames: ['unit'],
      registers: [registry],
    });
  }

  setCleanupInterval(seconds: number): void {
    this.interval.set(seconds);
  }

  /** Called synchronously after the cleanup, so heapUsed is what its gc left; without gc it is no retained sample. */
  recordCleanup(gcRan: boolean, now = Date.now()): void {
    this.cleanupAt.set(now / 1000);
    if (!gcRan) return;
    this.retained.set(this.heapUsed());
    const s = this.read();
    if (!s) return;
    const sum = (r: Readonly<Record<string, number>>) => Object.values(r).reduce((a, n) => a + n, 0);
    this.workAt.set({ unit: 'message' }, sum(s.handled()));
    this.workAt.set({ unit: 'listing' }, sum(s.listingTurns()));
  }
}
