/** Eviction's purge of ccxt pro's per-symbol state (counted by pro-client-state.ts). */
import { PER_SYMBOL_MAPS, symbolOfHash, type ProState } from './pro-client-state.ts';

/** ccxt's numeric request ids, and the ids of our own resubscribes (book-sequence.ts). */
const REQUEST_ID = /^(?:\d+|leakproof-.*)$/;

/**
 * Deletes every cache, row, subscription, future and stored rejection filed under any of `names`: the
 * unified symbol and the exchange id, which ccxt uses for messages that arrive after its market table
 * dropped the symbol. Pending futures are rejected first.
 */
export function purgeProEntries(ex: ProState, names: readonly string[]): void {
  const symbol = names[0] ?? '';
  const mine = (hash: string) => {
    const name = symbolOfHash(hash);
    return name !== undefined && names.includes(name);
  };
  for (const name of names) {
    if (ex.ohlcvs) delete ex.ohlcvs[name];
    for (const key of PER_SYMBOL_MAPS) if (ex[key]) delete ex[key][name];
  }
  const liq = ex.liquidations;
  if (liq?.some((row) => row.symbol !== undefined && names.includes(row.symbol))) {
    const keep = liq.filter((row) => row.symbol === undefined || !names.includes(row.symbol));
    liq.clear();
    for (const row of keep) liq.append(row);
  }
  for (const client of Object.values(ex.clients ?? {})) {
    for (const key of Object.keys(client.subscriptions).filter(mine)) delete client.subscriptions[key];
    for (const key of Object.keys(client.futures).filter(mine)) {
      client.reject?.(new Error(`unwatched ${symbol}`), key);
      delete client.futures[key];
    }
    // Rejecting a hash with no future stores a rejection; drop those last. An error reply that no
    // subscription claims any more (it was purged first) is stored under its req_id, which nothing on
    // the public stream ever awaits: drop those too, or each late error stays for good.
    const rejections = client.rejections;
    if (rejections) for (const key of Object.keys(rejections).filter((k) => mine(k) || REQUEST_ID.test(k))) delete rejections[key];
  }
}
