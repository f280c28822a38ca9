import { KLINE_INTERVAL_MS } from './bybit-intervals.ts';
import type { FaultState } from './faults.ts';
import { corruptKlineItem } from './malformed-rows.ts';
import { ticker } from './rest-routes.ts';
import type { SimMarket, SymbolInfo } from './sim-market.ts';

export type TopicKind = 'kline' | 'tickers' | 'publicTrade' | 'orderbook' | 'allLiquidation' | 'liquidation';

export interface Topic {
  name: string;
  kind: TopicKind;
  symbol: SymbolInfo;
  /** kline interval length, or order book depth. */
  param: number;
  interval: string;
}

const BOOK_DEPTHS = new Set([1, 50, 200, 500, 1000]);

/** Parses a v5 public topic such as kline.1.BTCUSDT; undefined when Bybit would have no handler. */
export function parseTopic(market: SimMarket, name: string): Topic | undefined {
  const parts = name.split('.');
  const symbol = market.symbol(parts[parts.length - 1] ?? '');
  if (!symbol) return undefined;
  const [kind, middle] = parts;
  if (parts.length === 2 && (kind === 'tickers' || kind === 'publicTrade' || kind === 'allLiquidation' || kind === 'liquidation')) {
    return { name, kind, symbol, param: 0, interval: '' };
  }
  if (parts.length !== 3 || middle === undefined) return undefined;
  if (kind === 'kline' && KLINE_INTERVAL_MS[middle] !== undefined) {
    return { name, kind, symbol, param: KLINE_INTERVAL_MS[middle], interval: middle };
  }
  if (kind === 'orderbook' && BOOK_DEPTHS.has(Number(middle))) {
    return { name, kind, symbol, param: Math.min(Number(middle), 50), interval: '' };
  }
  return undefined;
}

/** What one connection has been sent on one topic; bounded by the book depth. */
export interface PushState {
  pushes: number;
  bookPrices?: { bids: string[]; asks: string[] };
}

/** A book delta only resizes levels of the last snapshot, so the client's book stays the snapshot's size. */
const BOOK_SNAPSHOT_EVERY = 20;

export interface PushContext {
  market: SimMarket;
  faults: FaultState;
  now: number;
  /** Monotonic counter for ids. */
  seq: number;
}

function klinePush(ctx: PushContext, t: Topic): unknown {
  const { market: m, now } = ctx;
  const s = t.symbol;
  const start = Math.floor(now / t.param) * t.param;
  const c = m.candle(s, t.param, start, now);
  const item: Record<string, unknown> = {
    start,
    end: start + t.param - 1,
    interval: t.interval,
    open: m.round(s, c.open),
    close: m.round(s, c.close),
    high: m.round(s, c.high),
    low: m.round(s, c.low),
    volume: c.volume.toFixed(3),
    turnover: (c.volume * c.close).toFixed(4),
    confirm: false,
    timestamp: now,
  };
  const kind = ctx.faults.nextMalformed();
  return { topic: t.name, type: 'snapshot', ts: now, data: [kind ? corruptKlineItem(item, kind, t.param) : item] };
}

/** The first push of a ticker topic is a full snapshot, later ones deltas, as Bybit linear does. */
function tickerPush(ctx: PushContext, t: Topic, first: boolean): unknown {
  const { market: m, now } = ctx;
  const s = t.symbol;
  if (first) return { topic: t.name, type: 'snapshot', ts: now, cs: ctx.seq, data: ticker(ctx, s) };
  const book = m.book(s, now, 1);
  const last = m.round(s, m.price(s, now));
  const data = { symbol: s.id, lastPrice: last, markPrice: last, indexPrice: last, bid1Price: book.bids[0]![0], bid1Size: book.bids[0]![1], ask1Price: book.asks[0]![0], ask1Size: book.asks[0]![1] };
  return { topic: t.name, type: 'delta', ts: now, cs: ctx.seq, data };
}

function side(ctx: PushContext): 'Buy' | 'Sell' {
  return ctx.seq % 2 === 0 ? 'Buy' : 'Sell';
}

function size(t: Topic, ctx: PushContext): string {
  return ((t.symbol.baseVolume / 20_000) * (0.1 + (ctx.seq % 7))).toFixed(3);
}

function tradePush(ctx: PushContext, t: Topic): unknown {
  const s = t.symbol;
  const p = ctx.market.round(s, ctx.market.price(s, ctx.now));
  const data = [{ T: ctx.now, s: s.id, S: side(ctx), v: size(t, ctx), p, L: 'PlusTick', i: `sim-${ctx.seq}`, BT: false, RPI: false }];
  return { topic: t.name, type: 'snapshot', ts: ctx.now, data };
}

function bookPush(ctx: PushContext, t: Topic, state: PushState): unknown {
  const prices = state.bookPrices;
  if (!prices || state.pushes % BOOK_SNAPSHOT_EVERY === 0) {
    const { bids, asks } = ctx.market.book(t.symbol, ctx.now, t.param);
    state.bookPrices = { bids: bids.map((l) => l[0]), asks: asks.map((l) => l[0]) };
    return { topic: t.name, type: 'snapshot', ts: ctx.now, data: { s: t.symbol.id, b: bids, a: asks, u: ctx.seq, seq: ctx.seq }, cts: ctx.now };
  }
  const pick = (side: string[], n: number): Array<[string, string]> => {
    const price = side[(ctx.seq * 7 + n) % side.length]!;
    return [[price, size(t, ctx)]];
  };
  const data = { s: t.symbol.id, b: pick(prices.bids, 1), a: pick(prices.asks, 3), u: ctx.seq, seq: ctx.seq };
  return { topic: t.name, type: 'delta', ts: ctx.now, data, cts: ctx.now };
}

function liquidationPush(ctx: PushContext, t: Topic): unknown {
  const s = t.symbol;
  const p = ctx.market.round(s, ctx.market.price(s, ctx.now));
  if (t.kind === 'liquidation') {
    return { topic: t.name, type: 'snapshot', ts: ctx.now, data: { price: p, side: side(ctx), size: size(t, ctx), symbol: s.id, updatedTime: ctx.now } };
  }
  return { topic: t.name, type: 'snapshot', ts: ctx.now, data: [{ T: ctx.now, s: s.id, S: side(ctx), v: size(t, ctx), p }] };
}

export function buildPush(ctx: PushContext, t: Topic, state: PushState): unknown {
  const first = state.pushes === 0;
  switch (t.kind) {
    case 'kline':
      return klinePush(ctx, t);
    case 'tickers':
      return tickerPush(ctx, t, first);
    case 'publicTrade':
      return tradePush(ctx, t);
    case 'orderbook':
      return bookPush(ctx, t, state);
    case 'allLiquidation':
    case 'liquidation':
      return liquidationPush(ctx, t);
  }
}
