/* eslint-disable @typescript-eslint/no-non-null-assertion --
 * The feed loops below are what the bench times: their indexes are bounded by the loops themselves, and a
 * `?? fallback` per value would add a branch to every contender's measured append. */
import { createRequire } from 'node:module';
import { pathToFileURL } from 'node:url';
import { OhlcvRing } from '../caches/ohlcv-ring.ts';
import type { Candle } from '../core/market-types.ts';
import { CCXT, PUSH_SLICE, RING } from './bench-config.ts';

/**
 * One candle-cache design under test, behind the few operations the bench drives. Each design owns its
 * feed loop: a loop shared by all three would call upsert through one megamorphic site, which costs the
 * fastest design the most and would understate it.
 */
export interface Contender<S = unknown> {
  name: string;
  create(cap: number): S;
  /**
   * Upserts rows k * perKey .. (k + 1) * perKey of `batch` into stores[k], for every k. A batch is flat
   * (six float64 per row, from `offset`): each design builds only the objects it keeps, as it would from a
   * parser's output.
   */
  feed(stores: readonly S[], batch: Float64Array, offset: number, perKey: number): void;
  size(store: S): number;
  /** Absent when the design has no way to shrink to a smaller limit. */
  trimTo?(store: S, n: number): number;
}

const contender = <S>(c: Contender<S>): Contender => c;

/** Row `row` of a flat batch as the six-tuple designs that keep candle arrays must allocate. */
const candleAt = (b: Float64Array, row: number): Candle => {
  const o = row * 6;
  return [b[o]!, b[o + 1]!, b[o + 2]!, b[o + 3]!, b[o + 4]!, b[o + 5]!];
};

export type LoadedContender = { ok: true; contender: Contender } | { ok: false; reason: string };

export const ringContender = contender<OhlcvRing>({
  name: RING,
  create: (cap) => new OhlcvRing(cap),
  feed: (rings, batch, offset, perKey) => {
    // The ring copies values into its columns, so one scratch tuple serves every row.
    const scratch: Candle = [0, 0, 0, 0, 0, 0];
    for (let k = 0; k < rings.length; k++) {
      const ring = rings[k]!;
      for (let o = offset + k * perKey * 6, end = o + perKey * 6; o < end; o += 6) {
        for (let c = 0; c < 6; c++) scratch[c] = batch[o + c]!;
        ring.upsert(scratch);
      }
    }
  },
  size: (ring) => ring.size,
  trimTo: (ring, n) => ring.trimTo(n),
});

/** The Python-port way: replace the forming candle or push, then slice(-max) whenever over the cap. */
interface PushSliceStore {
  rows: Candle[];
  cap: number;
}
export const pushSliceContender = contender<PushSliceStore>({
  name: PUSH_SLICE,
  create: (cap) => ({ rows: [], cap }),
  feed: (stores, batch, offset, perKey) => {
    const first = offset / 6;
    for (let k = 0; k < stores.length; k++) {
      const store = stores[k]!;
      for (let i = first + k * perKey, end = i + perKey; i < end; i++) {
        const candle = candleAt(batch, i);
        const rows = store.rows;
        const last = rows[rows.length - 1];
        if (last !== undefined && last[0] === candle[0]) rows[rows.length - 1] = candle;
        else rows.push(candle);
        if (rows.length > store.cap) store.rows = rows.slice(-store.cap);
      }
    }
  },
  size: (store) => store.rows.length,
  trimTo: (store, n) => {
    const dropped = Math.max(0, store.rows.length - n);
    if (dropped > 0) store.rows = store.rows.slice(-n);
    return dropped;
  },
});

interface CcxtTimestampCache {
  readonly length: number;
  append(candle: Candle): void;
  getLimit(symbol: undefined, limit: undefined): number;
}
type CcxtCacheClass = new (maxSize?: number) => CcxtTimestampCache;

/**
 * ccxt's exports map only allows '.', so its pro cache module is loaded by file URL from the installed
 * package, next to the entry point that Node resolves.
 */
export async function loadCcxtContender(): Promise<LoadedContender> {
  try {
    const entry = pathToFileURL(createRequire(import.meta.url).resolve('ccxt'));
    const url = new URL('../js/src/base/ws/Cache.js', entry);
    const mod = (await import(url.href)) as { ArrayCacheByTimestamp?: CcxtCacheClass };
    const Cache = mod.ArrayCacheByTimestamp;
    if (typeof Cache !== 'function') return { ok: false, reason: `no ArrayCacheByTimestamp export in ${url.href}` };
    return {
      ok: true,
      contender: contender<CcxtTimestampCache>({
        name: CCXT,
        create: (cap) => new Cache(cap),
        feed: (caches, batch, offset, perKey) => {
          const first = offset / 6;
          for (let k = 0; k < caches.length; k++) {
            const cache = caches[k]!;
            for (let i = first + k * perKey, end = i + perKey; i < end; i++) cache.append(candleAt(batch, i));
            // ccxt pro's watchOHLCV calls getLimit on every resolution; without it sizeTracker grows unbounded.
            cache.getLimit(undefined, undefined);
          }
        },
        size: (cache) => cache.length,
      }),
    };
  } catch (error) {
    return { ok: false, reason: `cannot load ccxt's Cache.js: ${(error as Error).message}` };
  }
}

/** Every design by name, loaded on demand: an isolated measurement process imports only the one it runs. */
const LOADERS: Readonly<Record<string, () => Promise<LoadedContender>>> = {
  [CCXT]: loadCcxtContender,
  [PUSH_SLICE]: () => Promise.resolve({ ok: true, contender: pushSliceContender }),
  [RING]: () => Promise.resolve({ ok: true, contender: ringContender }),
};

export const CONTENDER_NAMES: readonly string[] = Object.keys(LOADERS);

export function loadContender(name: string): Promise<LoadedContender> {
  const load = LOADERS[name];
  return load ? load() : Promise.resolve({ ok: false, reason: `unknown implementation ${JSON.stringify(name)}` });
}
