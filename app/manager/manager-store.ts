import { BoundedList } from '../caches/bounded-list.ts';

/**
 * Pure cache helpers for the manager: keys, bounded time series that only take newer rows, and the
 * rebuild a list needs when its bound grew after a config reload (shrinking is a plain trim).
 */

const SEP = '|';
export const ohlcvKey = (symbol: string, timeframe: string) => `${symbol}${SEP}${timeframe}`;
export const timeframeOfKey = (key: string) => key.slice(key.lastIndexOf(SEP) + 1);
export const symbolOfKey = (key: string) => key.slice(0, key.lastIndexOf(SEP));

export interface Timestamped {
  timestamp: number;
}

/** The list for `symbol`, created with `limit` or rebuilt when `limit` outgrew its capacity. */
export function listFor<T>(map: Map<string, BoundedList<T>>, symbol: string, limit: number): BoundedList<T> {
  const list = map.get(symbol);
  if (list && list.capacity >= limit) return list;
  const next = list ? BoundedList.from(list.toArray(), limit) : new BoundedList<T>(limit);
  map.set(symbol, next);
  return next;
}

/**
 * Appends rows newer than the list's newest, oldest first. Rows at the newest timestamp count as new
 * only when `sameItem` says they differ from every kept row at that timestamp (trades share
 * milliseconds; REST and WebSocket deliver the same prints). Returns how many were appended.
 */
export function appendNewer<T extends Timestamped>(
  list: BoundedList<T>,
  rows: readonly T[],
  sameItem: (a: T, b: T) => boolean = () => true,
): number {
  const sorted = rows.filter((r) => Number.isFinite(r.timestamp)).sort((a, b) => a.timestamp - b.timestamp);
  const newest = list.last()?.timestamp ?? -Infinity;
  const atNewest = rowsAt(list, newest);
  let appended = 0;
  for (const row of sorted) {
    if (row.timestamp < newest) continue;
    if (row.timestamp === newest && atNewest.some((kept) => sameItem(kept, row))) continue;
    list.push(row);
    if (row.timestamp === newest) atNewest.push(row);
    appended++;
  }
  return appended;
}

/**
 * Merges `rows` into a list kept in timestamp order, by identity rather than by time: a row whose key the
 * list (or the batch) already holds is skipped, and a row older than the newest is inserted in order, so a
 * REST page fetched after a WS outage fills the gap (Bybit does not replay `publicTrade` on a reconnect).
 * The list keeps its newest `limit` rows. Returns how many rows of `rows` it now holds.
 */
export function mergeByKey<T extends Timestamped>(list: BoundedList<T>, rows: readonly T[], keyOf: (row: T) => string, limit: number): number {
  const batch = new Map<string, T>();
  for (const row of rows) if (Number.isFinite(row.timestamp) && !batch.has(keyOf(row))) batch.set(keyOf(row), row);
  const fresh = [...batch.values()].sort((a, b) => a.timestamp - b.timestamp);
  const oldest = fresh[0];
  if (oldest === undefined) return 0;
  // The WS path: every row at or after the newest held, so only the rows at the newest can repeat one.
  if (oldest.timestamp >= (list.last()?.timestamp ?? -Infinity)) return appendNewer(list, fresh, (a, b) => keyOf(a) === keyOf(b));
  const held = list.toArray();
  const heldKeys = new Set(held.map(keyOf));
  const added = new Set(fresh.filter((row) => !heldKeys.has(keyOf(row))));
  if (added.size === 0) return 0;
  // Stable: rows at one timestamp keep the order they were held or delivered in.
  const merged = [...held, ...added].sort((a, b) => a.timestamp - b.timestamp).slice(-limit);
  list.clear();
  list.pushMany(merged);
  return merged.filter((row) => added.has(row)).length;
}

/** The kept rows at `timestamp`, read back from the newest: a per-message copy of the list would cost O(cap). */
function rowsAt<T extends Timestamped>(list: BoundedList<T>, timestamp: number): T[] {
  const rows: T[] = [];
  for (let k = 0, row = list.fromNewest(0); row?.timestamp === timestamp; row = list.fromNewest(++k)) rows.push(row);
  return rows;
}

/** Sums `size` over a map of stores. */
export function totalSize(map: Map<string, { size: number }>): number {
  let n = 0;
  for (const v of map.values()) n += v.size;
  return n;
}

/**
 * Points a history refresh asks for: `full` until the store holds that many (a new symbol, or a store that
 * WS pushes created with a few points), then only the gap since its newest point.
 */
export function gapFetchSize(held: { size: number; newest: number | undefined } | undefined, full: number, stepMs: number | undefined, now: number): number {
  if (held === undefined || held.newest === undefined || stepMs === undefined || held.size < full) return full;
  // +2: the point still forming when last fetched, and the one forming now.
  return Math.min(full, Math.max(2, Math.ceil((now - held.newest) / stepMs) + 2));
}
