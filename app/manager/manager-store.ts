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
