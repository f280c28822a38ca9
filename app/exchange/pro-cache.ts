/**
 * ccxt pro keeps per-symbol state of its own (caches, subscriptions, futures). The manager's bounds
 * mean nothing if these grow, so eviction purges them and a test asserts that nothing is left.
 */

interface WsClientState {
  subscriptions: Record<string, unknown>;
  futures: Record<string, unknown>;
  reject?(error: Error, messageHash?: string): void;
}

interface LiquidationCache extends Array<{ symbol?: string }> {
  clear(): void;
  append(item: { symbol?: string }): void;
}

export interface ProState {
  ohlcvs?: Record<string, Record<string, unknown> | undefined>;
  trades?: Record<string, unknown>;
  orderbooks?: Record<string, unknown>;
  tickers?: Record<string, unknown>;
  bidsasks?: Record<string, unknown>;
  liquidations?: LiquidationCache;
  clients?: Record<string, WsClientState>;
}

const PER_SYMBOL_MAPS = ['trades', 'orderbooks', 'tickers', 'bidsasks'] as const;

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');
}

/** Message hashes look like `ticker:SYM`, `ohlcv::SYM::1m`, `unsubscribe:trades:SYM`. */
function hashMatcher(symbol: string): RegExp {
  return new RegExp(`(^|:)${escapeRegExp(symbol)}($|:)`);
}

function matchingKeys(record: Record<string, unknown> | undefined, re: RegExp): string[] {
  return record ? Object.keys(record).filter((k) => re.test(k)) : [];
}

export function countProEntries(ex: ProState, symbol: string): number {
  const re = hashMatcher(symbol);
  let n = 0;
  const ohlcv = ex.ohlcvs?.[symbol];
  if (ohlcv) n += Math.max(1, Object.keys(ohlcv).length);
  for (const key of PER_SYMBOL_MAPS) if (ex[key] && symbol in ex[key]) n += 1;
  for (const row of ex.liquidations ?? []) if (row.symbol === symbol) n += 1;
  for (const client of Object.values(ex.clients ?? {})) {
    n += matchingKeys(client.subscriptions, re).length + matchingKeys(client.futures, re).length;
  }
  return n;
}

export function purgeProEntries(ex: ProState, symbol: string): void {
  const re = hashMatcher(symbol);
  if (ex.ohlcvs) delete ex.ohlcvs[symbol];
  for (const key of PER_SYMBOL_MAPS) if (ex[key]) delete ex[key][symbol];
  const liq = ex.liquidations;
  if (liq?.some((row) => row.symbol === symbol)) {
    const keep = liq.filter((row) => row.symbol !== symbol);
    liq.clear();
    for (const row of keep) liq.append(row);
  }
  for (const client of Object.values(ex.clients ?? {})) {
    for (const key of matchingKeys(client.subscriptions, re)) delete client.subscriptions[key];
    for (const key of matchingKeys(client.futures, re)) {
      client.reject?.(new Error(`unwatched ${symbol}`), key);
      delete client.futures[key];
    }
  }
}
