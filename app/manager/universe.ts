import type { Clock } from '../core/clock.ts';
import type { MarketSource, StreamHandlers } from '../exchange/market-source.ts';
import type { ManagerConfig } from './market-data-manager.ts';
import { rankUniverse } from './rank-universe.ts';
import { shardSymbols } from './shard.ts';

export interface ManagerLog {
  info(obj: object, msg?: string): void;
  warn(obj: object, msg?: string): void;
}

export interface UniverseOptions {
  source: MarketSource;
  clock: Clock;
  log: ManagerLog | undefined;
  signal: AbortSignal;
  handlers(symbol: string): StreamHandlers;
  countError(kind: string): void;
}

export interface ListingTurns {
  added: number;
  evicted: number;
}

/** While the global universe is empty (the exchange did not answer yet), retry this often instead of hourly. */
const EMPTY_RETRY_MS = 5000;

/**
 * The tracked symbols and their WebSocket subscriptions. A symbol that rotates out stops counting at
 * once (handlers and refreshes ignore it); its caches and its stream are released by the next memory
 * cleanup, which calls `release`.
 *
 * With `shard.count` > 1 the tracked symbols are this shard's part of the global universe: the global
 * topN is ranked first, then sharded, so the shards together hold exactly the global topN and no symbol
 * twice (sharding first and ranking each part would give count × topN). The hysteresis works on the
 * global ranking, which every shard computes from the same listing and turnovers; shards that re-rank
 * at different moments may disagree near the cut until their next re-rank.
 */
export class Universe {
  private tracked = new Set<string>();
  private list: string[] = [];
  /** The global universe of the last ranking (every shard's symbols): the incumbents of the next. */
  private ranked = new Set<string>();
  /** A non-empty global universe was resolved; this shard's part of it may still be empty. */
  private resolved = false;
  private readonly watches = new Map<string, AbortController>();
  private readonly dropped = new Set<string>();
  private readonly unwatching = new Set<Promise<void>>();
  /** Streams started and released since start: the listing turns /metrics counts. */
  readonly turns: ListingTurns = { added: 0, evicted: 0 };
  /** Found not Trading by the status check: kept out until a fresh listing (a topN re-rank) says otherwise. */
  private readonly delisted = new Set<string>();

  constructor(private readonly o: UniverseOptions) {}

  has(symbol: string): boolean {
    return this.tracked.has(symbol);
  }

  symbols(): readonly string[] {
    return this.list;
  }

  /** True once a non-empty global universe was resolved, even if this shard owns none of it. */
  get isResolved(): boolean {
    return this.resolved;
  }

  /** Tracks `symbols` as they are; `all` is the global universe they are this shard's part of. */
  track(symbols: readonly string[], all: readonly string[] = symbols): void {
    this.resolved = all.length > 0;
    const next = new Set(symbols.filter((s) => !this.delisted.has(s)));
    for (const s of this.tracked) if (!next.has(s)) this.dropped.add(s);
    for (const s of next) {
      this.dropped.delete(s);
      if (!this.watches.has(s) && !this.o.signal.aborted) this.watch(s);
    }
    this.tracked = next;
    this.list = [...next];
  }

  /** This shard's part of the configured symbols, or of the exchange's top `topN` by 24h turnover; on failure the current universe stays. */
  async refresh(config: ManagerConfig): Promise<void> {
    if (config.symbols.length > 0) {
      this.track(shardSymbols(config.symbols, config.shard), config.symbols);
      return;
    }
    try {
      const [listed, turnover] = await Promise.all([this.o.source.loadSymbols(), this.o.source.fetchTurnovers()]);
      const ranked = rankUniverse(listed, turnover, this.ranked, { topN: config.topN, ...config.universe });
      this.ranked = new Set(ranked);
      // The listing was just loaded: it is the word on what trades now.
      this.delisted.clear();
      this.track(shardSymbols(ranked, config.shard), ranked);
    } catch (err) {
      this.o.countError(`universe:${err instanceof Error ? err.name : typeof err}`);
      this.o.log?.warn({ err }, 'Loading the symbol universe failed; keeping the current one');
    }
  }

  /** Re-ranks a topN universe every `universeSeconds` until `running()` turns false or the signal aborts. */
  async rotate(config: () => ManagerConfig, running: () => boolean): Promise<void> {
    while (running() && !this.o.signal.aborted) {
      const c = config();
      if (c.symbols.length > 0 && this.resolved) return;
      const wait = !this.resolved ? EMPTY_RETRY_MS : c.refresh.universeSeconds * 1000;
      try {
        await this.o.clock.sleep(wait, this.o.signal);
      } catch {
        return;
      }
      await this.refresh(config());
    }
  }

  /** Stops tracking symbols that no longer trade, at once; the caller evicts their caches and streams. */
  untrack(symbols: Iterable<string>): void {
    for (const s of symbols) {
      if (!this.tracked.delete(s)) continue;
      this.delisted.add(s);
      this.dropped.add(s);
    }
    this.list = [...this.tracked];
  }

  /** Symbols that left the universe and still hold a stream, even if they never cached anything. */
  droppedSinceLastEviction(): ReadonlySet<string> {
    return this.dropped;
  }

  /** Ends the symbol's streams and has the client drop its own caches of it. */
  release(symbol: string): void {
    this.dropped.delete(symbol);
    const controller = this.watches.get(symbol);
    if (!controller) return;
    controller.abort();
    this.watches.delete(symbol);
    this.turns.evicted += 1;
    const done: Promise<void> = this.o.source
      .unwatch(symbol)
      .catch((err: unknown) => this.o.countError(`unwatch:${err instanceof Error ? err.name : typeof err}`))
      .finally(() => this.unwatching.delete(done));
    this.unwatching.add(done);
  }

  async whenUnwatched(): Promise<void> {
    await Promise.allSettled([...this.unwatching]);
  }

  /** Ends every stream at shutdown; per-symbol controllers are not chained to the lifetime signal, so a
   * 1,000-symbol universe does not hang 1,000 listeners on it. */
  stopAll(): void {
    for (const controller of this.watches.values()) controller.abort();
    this.watches.clear();
  }

  private watch(symbol: string): void {
    const controller = new AbortController();
    this.watches.set(symbol, controller);
    this.turns.added += 1;
    this.o.source.watch(symbol, this.o.handlers(symbol), controller.signal);
  }
}
