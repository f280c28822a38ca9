import { KLINE_INTERVAL_MS, PERIOD_MS, floorTo } from './bybit-intervals.ts';
import type { FaultState } from './faults.ts';
import { corruptKlineRow, type KlineRow } from './malformed-rows.ts';
import type { SimMarket, SymbolInfo } from './sim-market.ts';
import { recentTrades } from './trade-tape.ts';

export interface RestReply {
  status: number;
  body: unknown;
}

export interface RestContext {
  market: SimMarket;
  now: number;
  faults: FaultState;
  /** Page cap of instruments-info (Bybit: 1000); lower it to make a small universe span pages. */
  instrumentsPageMax?: number;
}

type Query = URLSearchParams;

/** Bybit's error envelope; retCode 10001 is its "params error" (ccxt: BadRequest). */
export function bybitError(retCode: number, retMsg: string, now: number, status = 200): RestReply {
  return { status, body: { retCode, retMsg, result: {}, retExtInfo: {}, time: now } };
}

function ok(result: unknown, now: number): RestReply {
  return { status: 200, body: { retCode: 0, retMsg: 'OK', result, retExtInfo: {}, time: now } };
}

class ParamsError extends Error {}

function intParam(q: Query, name: string, fallback: number, min: number, max: number): number {
  const raw = q.get(name);
  if (raw === null) return fallback;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < min || n > max) throw new ParamsError(`params error: ${name} must be ${min}..${max}`);
  return n;
}

function optionalTime(q: Query, name: string): number | undefined {
  const raw = q.get(name);
  if (raw === null) return undefined;
  const n = Number(raw);
  if (!Number.isFinite(n)) throw new ParamsError(`params error: ${name} invalid`);
  return n;
}

function symbolParam(ctx: RestContext, q: Query): SymbolInfo {
  const s = ctx.market.symbol(q.get('symbol') ?? '');
  if (!s) throw new ParamsError('params error: symbol invalid');
  return s;
}

function category(q: Query, allowed: readonly string[]): string {
  const c = q.get('category') ?? '';
  if (!allowed.includes(c)) throw new ParamsError(`params error: category must be one of ${allowed.join(',')}`);
  return c;
}

function instrument(ctx: RestContext, s: SymbolInfo, cat: string): Record<string, unknown> {
  const common = { symbol: s.id, baseCoin: s.base, quoteCoin: s.quote, status: ctx.market.status(s, ctx.now) ?? 'Closed', priceFilter: { tickSize: s.tick.toFixed(s.decimals), minPrice: s.tick.toFixed(s.decimals), maxPrice: '9999999' } };
  if (cat === 'spot') {
    return { ...common, innovation: '0', marginTrading: 'none', lotSizeFilter: { basePrecision: '0.001', quotePrecision: '0.0001', minOrderQty: '0.001', maxOrderQty: '100000', minOrderAmt: '1', maxOrderAmt: '1000000' } };
  }
  return {
    ...common,
    contractType: 'LinearPerpetual',
    launchTime: String(Math.floor(s.listKey * 2000) * 86_400_000 + 1_585_526_400_000),
    deliveryTime: '0',
    deliveryFeeRate: '',
    priceScale: String(s.decimals),
    leverageFilter: { minLeverage: '1', maxLeverage: '50.00', leverageStep: '0.01' },
    lotSizeFilter: { maxOrderQty: '100000', minOrderQty: '0.001', qtyStep: '0.001', postOnlyMaxOrderQty: '100000' },
    unifiedMarginTrade: true,
    fundingInterval: 480,
    settleCoin: s.quote,
  };
}

/** Opaque page cursors, as Bybit's are; a cursor the emulator did not issue is a params error. */
const encodeCursor = (n: number) => Buffer.from(`p:${n}`).toString('base64url');
function decodeCursor(q: Query): number | undefined {
  const raw = q.get('cursor');
  if (raw === null || raw === '') return undefined;
  const m = /^p:(\d+)$/.exec(Buffer.from(raw, 'base64url').toString());
  if (!m) throw new ParamsError('params error: cursor invalid');
  return Number(m[1]);
}

function instrumentsInfo(ctx: RestContext, q: Query): RestReply {
  const cat = category(q, ['linear', 'spot']);
  const limit = Math.min(intParam(q, 'limit', 500, 1, 1000), ctx.instrumentsPageMax ?? 1000);
  // ccxt asks for PreLaunch markets separately (the emulator lists none), and after the last page
  // ("nextPageCursor": "") it asks once more with an empty cursor, which must end its loop. Like Bybit,
  // it lists Trading symbols unless asked for a status or for one symbol (then whatever its status).
  const wanted = q.get('status') ?? 'Trading';
  const one = q.get('symbol');
  const all =
    q.get('cursor') === ''
      ? []
      : one !== null
        ? ctx.market.existing(ctx.now).filter((s) => s.id === one)
        : ctx.market.existing(ctx.now).filter((s) => ctx.market.status(s, ctx.now) === wanted);
  const offset = decodeCursor(q) ?? 0;
  const list = all.slice(offset, offset + limit).map((s) => instrument(ctx, s, cat));
  const nextPageCursor = offset + limit < all.length ? encodeCursor(offset + limit) : '';
  return ok({ category: cat, list, nextPageCursor }, ctx.now);
}

export function ticker(ctx: Pick<RestContext, 'market' | 'now'>, s: SymbolInfo): Record<string, string> {
  const { market: m, now } = ctx;
  const last = m.price(s, now);
  const prev = m.price(s, now - 86_400_000);
  const hourly = Array.from({ length: 25 }, (_, i) => m.price(s, now - i * 3_600_000));
  const book = m.book(s, now, 1);
  const oi = m.openInterest(s, now);
  return {
    symbol: s.id,
    lastPrice: m.round(s, last),
    indexPrice: m.round(s, last),
    markPrice: m.round(s, last),
    prevPrice24h: m.round(s, prev),
    price24hPcnt: ((last - prev) / prev).toFixed(6),
    highPrice24h: m.round(s, Math.max(...hourly)),
    lowPrice24h: m.round(s, Math.min(...hourly)),
    prevPrice1h: m.round(s, hourly[1]!),
    openInterest: oi.toFixed(3),
    openInterestValue: (oi * last).toFixed(2),
    // The skewed turnover the symbol was made with, so that its rank is the symbol's, not the walk's.
    turnover24h: s.turnover.toFixed(4),
    volume24h: (s.turnover / last).toFixed(3),
    fundingRate: '0.0001',
    nextFundingTime: String(floorTo(now, 28_800_000) + 28_800_000),
    predictedDeliveryPrice: '',
    basisRate: '',
    deliveryFeeRate: '',
    deliveryTime: '0',
    ask1Size: book.asks[0]![1],
    bid1Price: book.bids[0]![0],
    ask1Price: book.asks[0]![0],
    bid1Size: book.bids[0]![1],
  };
}

function tickers(ctx: RestContext, q: Query): RestReply {
  const cat = category(q, ['linear']);
  const list = q.has('symbol') ? [ticker(ctx, symbolParam(ctx, q))] : ctx.market.listed(ctx.now).map((s) => ticker(ctx, s));
  return ok({ category: cat, list }, ctx.now);
}

function kline(ctx: RestContext, q: Query): RestReply {
  const cat = category(q, ['linear', 'spot']);
  const s = symbolParam(ctx, q);
  const tfMs = KLINE_INTERVAL_MS[q.get('interval') ?? ''];
  if (tfMs === undefined) throw new ParamsError('params error: interval invalid');
  const limit = intParam(q, 'limit', 200, 1, 1000);
  const start = optionalTime(q, 'start');
  const endParam = optionalTime(q, 'end');
  const last = floorTo(Math.min(endParam ?? ctx.now, ctx.now), tfMs);
  // With a start and no end, page forward from start; otherwise walk back from the end.
  const first =
    start !== undefined && endParam === undefined
      ? Math.ceil(start / tfMs) * tfMs
      : Math.max(start === undefined ? -Infinity : Math.ceil(start / tfMs) * tfMs, last - (limit - 1) * tfMs);
  const newest = Math.min(last, first + (limit - 1) * tfMs);
  const list: KlineRow[] = [];
  for (let t = newest; t >= first; t -= tfMs) {
    const c = ctx.market.candle(s, tfMs, t, ctx.now);
    const prices = [c.open, c.high, c.low, c.close].map((v) => ctx.market.round(s, v));
    const strings = [String(t), ...prices, c.volume.toFixed(3), (c.volume * c.close).toFixed(4)];
    const kind = ctx.faults.nextMalformed();
    list.push(kind ? corruptKlineRow(strings, kind, tfMs) : strings);
  }
  return ok({ symbol: s.id, category: cat, list }, ctx.now);
}

function periodMs(q: Query, name: string): number {
  const ms = PERIOD_MS[q.get(name) ?? ''];
  if (ms === undefined) throw new ParamsError(`params error: ${name} invalid`);
  return ms;
}

/** How far back the emulator keeps OI and ratio history (Bybit keeps more; a bound ends pagination). */
const HISTORY_DEPTH_MS = 30 * 86_400_000;

/**
 * One page of points on the period grid, newest first, ending at `endTime` (default now) or at the
 * cursor's point; `nextPageCursor` names the next older page, "" after the last one.
 */
function gridPage(ctx: RestContext, q: Query, stepMs: number, limit: number): { points: number[]; nextPageCursor: string } {
  const end = decodeCursor(q) ?? floorTo(Math.min(optionalTime(q, 'endTime') ?? ctx.now, ctx.now), stepMs);
  const start = Math.max(optionalTime(q, 'startTime') ?? -Infinity, ctx.now - HISTORY_DEPTH_MS);
  const points: number[] = [];
  for (let t = end; t >= start && points.length < limit; t -= stepMs) points.push(t);
  const older = end - points.length * stepMs;
  return { points, nextPageCursor: points.length === limit && older >= start ? encodeCursor(older) : '' };
}

function openInterest(ctx: RestContext, q: Query): RestReply {
  const cat = category(q, ['linear']);
  const s = symbolParam(ctx, q);
  const step = periodMs(q, 'intervalTime');
  const { points, nextPageCursor } = gridPage(ctx, q, step, intParam(q, 'limit', 50, 1, 200));
  const list = points.map((t) => ({ openInterest: ctx.market.openInterest(s, t).toFixed(8), timestamp: String(t) }));
  return ok({ symbol: s.id, category: cat, list, nextPageCursor }, ctx.now);
}

function accountRatio(ctx: RestContext, q: Query): RestReply {
  category(q, ['linear']);
  const s = symbolParam(ctx, q);
  const step = periodMs(q, 'period');
  const { points, nextPageCursor } = gridPage(ctx, q, step, intParam(q, 'limit', 50, 1, 500));
  const list = points.map((t) => {
    const buy = ctx.market.buyRatio(s, t);
    return { symbol: s.id, buyRatio: buy.toFixed(4), sellRatio: (1 - buy).toFixed(4), timestamp: String(t) };
  });
  return ok({ list, nextPageCursor }, ctx.now);
}

function recentTrade(ctx: RestContext, q: Query): RestReply {
  const cat = category(q, ['linear']);
  const s = symbolParam(ctx, q);
  const limit = intParam(q, 'limit', 500, 1, 1000);
  const list = recentTrades(ctx.market, s, ctx.now, limit).map((t) => ({
    execId: t.id,
    symbol: s.id,
    price: t.price,
    size: t.size,
    side: t.side,
    time: String(t.time),
    isBlockTrade: false,
    isRPITrade: false,
  }));
  return ok({ category: cat, list }, ctx.now);
}

function orderbook(ctx: RestContext, q: Query): RestReply {
  category(q, ['linear']);
  const s = symbolParam(ctx, q);
  const depth = intParam(q, 'limit', 25, 1, 500);
  const { bids, asks } = ctx.market.book(s, ctx.now, depth);
  return ok({ s: s.id, b: bids, a: asks, ts: ctx.now, u: Math.floor(ctx.now / 100), seq: Math.floor(ctx.now / 10), cts: ctx.now }, ctx.now);
}

function serverTime(ctx: RestContext): RestReply {
  return ok({ timeSecond: String(Math.floor(ctx.now / 1000)), timeNano: `${ctx.now}000000` }, ctx.now);
}

const ROUTES: Readonly<Record<string, (ctx: RestContext, q: Query) => RestReply>> = {
  '/v5/market/time': serverTime,
  '/v5/market/instruments-info': instrumentsInfo,
  '/v5/market/tickers': tickers,
  '/v5/market/kline': kline,
  '/v5/market/open-interest': openInterest,
  '/v5/market/account-ratio': accountRatio,
  '/v5/market/recent-trade': recentTrade,
  '/v5/market/orderbook': orderbook,
};

/** Answers one public GET; unknown paths and bad params get Bybit-shaped errors, never a throw. */
export function routeRest(ctx: RestContext, path: string, query: Query): RestReply {
  const route = ROUTES[path];
  if (!route) return bybitError(10001, `unknown endpoint ${path}`, ctx.now, 404);
  try {
    return route(ctx, query);
  } catch (error) {
    if (error instanceof ParamsError) return bybitError(10001, error.message, ctx.now);
    return bybitError(10016, 'System error. Please try again later.', ctx.now);
  }
}
