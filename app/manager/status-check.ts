import type { Clock } from '../core/clock.ts';
import type { TradingStatuses } from '../exchange/market-source.ts';

/**
 * A light check that the tracked symbols still trade. Bybit's instruments-info lists only Trading
 * symbols, and a delisted one's streams may go on for a while, so without it a symbol that stopped
 * trading stays tracked until the next re-rank (hourly) and its caches until the next cleanup: its REST
 * jobs go on asking for it and its last ticker and book are served as live.
 */
export interface StatusCheckOptions {
  clock: Clock;
  signal: AbortSignal;
  intervalMs: () => number;
  running(): boolean;
  symbols(): readonly string[];
  fetch(symbols: readonly string[]): Promise<TradingStatuses>;
  /** Called at once with the symbols found not Trading, and the status each was found in. */
  evict(gone: ReadonlyMap<string, string>): void;
  onError(err: unknown): void;
}

/** Pure: the tracked symbols whose status is known and is not Trading. */
export function notTrading(tracked: readonly string[], statuses: TradingStatuses): Map<string, string> {
  const gone = new Map<string, string>();
  for (const symbol of tracked) {
    const status = statuses[symbol];
    if (status !== undefined && status !== 'Trading') gone.set(symbol, status);
  }
  return gone;
}

/** Checks every `intervalMs` of the clock until `running()` turns false or the signal aborts. */
export async function runStatusChecks(o: StatusCheckOptions): Promise<void> {
  // A call, not a property read: the signal may abort while the fetch is out.
  const stopped = () => o.signal.aborted;
  while (o.running() && !stopped()) {
    try {
      await o.clock.sleep(o.intervalMs(), o.signal);
    } catch {
      return;
    }
    const tracked = o.symbols();
    if (tracked.length === 0) continue;
    try {
      const gone = notTrading(tracked, await o.fetch(tracked));
      if (gone.size > 0 && !stopped()) o.evict(gone);
    } catch (err) {
      if (!stopped()) o.onError(err);
    }
  }
}
