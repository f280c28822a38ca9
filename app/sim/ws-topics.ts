import { KLINE_INTERVAL_MS } from './bybit-intervals.ts';
import type { FaultState } from './faults.ts';
import { corruptKlineItem } from './malformed-rows.ts';
import { slotAt, slotTrades } from './trade-tape.ts';
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

/** The book one connection holds for one topic, as sent: price → size per side, at most the depth. */
export interface SentBook {
  bids: Map<string, string>;
  asks: Map<string, string>;
  /** Bybit's update id: 1 on the snapshot, +1 per delta, so a client can see a gap. */
  u: number;
}

/** What one connection has been sent on one topic; bounded by the book depth. */
export interface PushState {
  pushes: number;
  book?: SentBook;
  /** Start of the kline interval last pushed, so its close can be confirmed once. */
  klineStart?: number;
  /** The ticker fields last sent, which the next delta is taken against. */
  ticker?: Record<string, string>;
  /** The trade-tape slot last pushed: the next push carries the slots after it. */
  tradeSlot?: number;
}

export interface PushContext {
  market: SimMarket;
  faults: FaultState;
  now: number;
  /** Monotonic counter for ids. */
  seq: number;
}

function klineItem(ctx: PushContext, t: Topic, start: number, asOf: number): Record<string, unknown> {
  const { market: m } = ctx;
  const s = t.symbol;
  const c = m.candle(s, t.param, start, asOf);
  return {
    start,
    end: start + t.param - 1,
    interval: t.interval,
    open: m.round(s, c.open),
    close: m.round(s, c.close),
    high: m.round(s, c.high),
    low: m.round(s, c.low),
    volume: c.volume.toFixed(3),
    turnover: (c.volume * c.close).toFixed(4),
    confirm: c.confirmed,
    timestamp: asOf,
  };
}

/**
 * The forming candle, as Bybit pushes it; once its interval has ended, the candle last pushed is sent
 * once more, final and with `confirm: true`, ahead of the new one (Bybit closes every candle this way).
 */
function klinePush(ctx: PushContext, t: Topic, state: PushState): unknown {
  const { now } = ctx;
  const start = Math.floor(now / t.param) * t.param;
  const previous = state.klineStart;
  state.klineStart = start;
  const data =
    previous !== undefined && previous < start
      ? [klineItem(ctx, t, previous, previous + t.param), klineItem(ctx, t, start, now)]
      : [klineItem(ctx, t, start, now)];
  const kind = ctx.faults.nextMalformed();
  const last = data.length - 1;
  if (kind) data[last] = corruptKlineItem(data[last]!, kind, t.param);
  return { topic: t.name, type: 'snapshot', ts: now, data };
}

/** The ticker fields that move between pushes (the 24h statistics are left to the snapshot, which is costly). */
function liveTickerFields(ctx: PushContext, s: SymbolInfo): Record<string, string> {
  const { market: m, now } = ctx;
  const book = m.book(s, now, 1);
  const last = m.round(s, m.price(s, now));
  const oi = m.openInterest(s, now);
  const none: [string, string] = ['', ''];
  const [bid, ask] = [book.bids[0] ?? none, book.asks[0] ?? none];
  return { lastPrice: last, markPrice: last, indexPrice: last, bid1Price: bid[0], bid1Size: bid[1], ask1Price: ask[0], ask1Size: ask[1], openInterest: oi.toFixed(3) };
}

/**
 * As Bybit linear does: a full snapshot first, then deltas that carry the symbol and only the fields that
 * changed since this connection's last push (a client must merge them); nothing when nothing changed.
 */
function tickerPush(ctx: PushContext, t: Topic, state: PushState): unknown {
  const held = state.ticker;
  if (!held) {
    const full = ticker(ctx, t.symbol);
    state.ticker = full;
    return { topic: t.name, type: 'snapshot', ts: ctx.now, cs: ctx.seq, data: full };
  }
  const changed = Object.entries(liveTickerFields(ctx, t.symbol)).filter(([field, value]) => held[field] !== value);
  if (changed.length === 0) return undefined;
  for (const [field, value] of changed) held[field] = value;
  return { topic: t.name, type: 'delta', ts: ctx.now, cs: ctx.seq, data: { symbol: t.symbol.id, ...Object.fromEntries(changed) } };
}

function side(ctx: PushContext): 'Buy' | 'Sell' {
  return ctx.seq % 2 === 0 ? 'Buy' : 'Sell';
}

function size(t: Topic, ctx: PushContext): string {
  return ((t.symbol.baseVolume / 20_000) * (0.1 + (ctx.seq % 7))).toFixed(3);
}

/** Matches a push may carry; a connection that fell further behind misses the older ones, as after an outage. */
const MAX_SLOTS_PER_PUSH = 20;

/**
 * The prints of the tape since this connection's last push (from the current match on a new
 * subscription: Bybit replays nothing), oldest first, each with the execId REST gives it too.
 */
function tradePush(ctx: PushContext, t: Topic, state: PushState): unknown {
  const s = t.symbol;
  const now = slotAt(ctx.now);
  const from = Math.max((state.tradeSlot ?? now - 1) + 1, now - MAX_SLOTS_PER_PUSH + 1);
  if (from > now) return undefined;
  state.tradeSlot = now;
  const data: Array<Record<string, unknown>> = [];
  for (let slot = from; slot <= now; slot++) {
    for (const x of slotTrades(ctx.market, s, slot)) data.push({ T: x.time, s: s.id, S: x.side, v: x.size, p: x.price, L: 'PlusTick', i: x.id, BT: false, RPI: false });
  }
  return { topic: t.name, type: 'snapshot', ts: ctx.now, data };
}

/** Levels of `held` that differ from `truth` (size "0" for a level that left), and `held` made `truth`. */
function diffSide(held: Map<string, string>, truth: Array<[string, string]>): Array<[string, string]> {
  const changes: Array<[string, string]> = [];
  const next = new Map(truth);
  for (const price of held.keys()) if (!next.has(price)) changes.push([price, '0']);
  for (const [price, size] of next) if (held.get(price) !== size) changes.push([price, size]);
  held.clear();
  for (const [price, size] of next) held.set(price, size);
  return changes;
}

/**
 * Bybit v5 `orderbook.N`: a snapshot on subscribe, then deltas against what this connection was sent:
 * levels that appear are inserted, levels that leave are deleted with size "0", and a delta that would
 * change nothing is not sent (undefined).
 */
function bookPush(ctx: PushContext, t: Topic, state: PushState): unknown {
  const truth = ctx.market.book(t.symbol, ctx.now, t.param);
  const book = state.book;
  if (!book) {
    state.book = { bids: new Map(truth.bids), asks: new Map(truth.asks), u: 1 };
    return { topic: t.name, type: 'snapshot', ts: ctx.now, data: { s: t.symbol.id, b: truth.bids, a: truth.asks, u: 1, seq: ctx.seq }, cts: ctx.now };
  }
  const b = diffSide(book.bids, truth.bids);
  const a = diffSide(book.asks, truth.asks);
  if (b.length === 0 && a.length === 0) return undefined;
  book.u += 1;
  if (ctx.faults.nextBookDeltaLost()) return undefined;
  return { topic: t.name, type: 'delta', ts: ctx.now, data: { s: t.symbol.id, b, a, u: book.u, seq: ctx.seq }, cts: ctx.now };
}

function liquidationPush(ctx: PushContext, t: Topic): unknown {
  const s = t.symbol;
  const p = ctx.market.round(s, ctx.market.price(s, ctx.now));
  if (t.kind === 'liquidation') {
    return { topic: t.name, type: 'snapshot', ts: ctx.now, data: { price: p, side: side(ctx), size: size(t, ctx), symbol: s.id, updatedTime: ctx.now } };
  }
  return { topic: t.name, type: 'snapshot', ts: ctx.now, data: [{ T: ctx.now, s: s.id, S: side(ctx), v: size(t, ctx), p }] };
}

/** The next push of a topic, or undefined when there is nothing new to send. */
export function buildPush(ctx: PushContext, t: Topic, state: PushState): unknown {
  switch (t.kind) {
    case 'kline':
      return klinePush(ctx, t, state);
    case 'tickers':
      return tickerPush(ctx, t, state);
    case 'publicTrade':
      return tradePush(ctx, t, state);
    case 'orderbook':
      return bookPush(ctx, t, state);
    case 'allLiquidation':
    case 'liquidation':
      return liquidationPush(ctx, t);
  }
}
