/**
 * Static sharding of the symbol universe: shard `index` of `count` owns exactly the symbols whose hash
 * falls on it. The hash is of the unified symbol id (e.g. BTC/USDT:USDT), with no seed and no process
 * state, so every process on every host, and every restart, agrees on the owner of a symbol as long as
 * `count` stays the same. (Changing `count` moves symbols between shards; that is a redeploy of all.)
 */
export interface Shard {
  index: number;
  count: number;
}

export const SINGLE_SHARD: Shard = { index: 0, count: 1 };

/** FNV-1a over the UTF-16 code units, then murmur3's finalizer so that the low bits (mod count) mix well. */
export function symbolHash(symbol: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < symbol.length; i++) h = Math.imul(h ^ symbol.charCodeAt(i), 0x01000193);
  h = Math.imul(h ^ (h >>> 16), 0x85ebca6b);
  h = Math.imul(h ^ (h >>> 13), 0xc2b2ae35);
  return (h ^ (h >>> 16)) >>> 0;
}

export const shardOf = (symbol: string, count: number): number => symbolHash(symbol) % count;

/** The symbols `shard` owns, in their given order. */
export function shardSymbols(symbols: readonly string[], shard: Shard): string[] {
  return shard.count === 1 ? [...symbols] : symbols.filter((s) => shardOf(s, shard.count) === shard.index);
}
