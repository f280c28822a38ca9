import { hash01 } from './hash-noise.ts';
import { TOP_TURNOVER, type SymbolInfo } from './sim-symbols.ts';
import type { Topic, TopicKind } from './ws-topics.ts';

/**
 * Bybit v5 linear push cadence, in real ms per symbol and topic (docs, "websocket/public"): orderbook.N by
 * depth, tickers 100 ms, allLiquidation 500 ms, the retired `liquidation` at most once a second; klines
 * "every 1-60 s" (here by how much the symbol trades) and once more as the candle closes; trades as they
 * happen, which is in clusters, not on a grid.
 */
export const BYBIT_CADENCE = {
  orderbookMsByDepth: { 1: 10, 50: 20, 200: 100, 500: 100, 1000: 200 } as Readonly<Record<number, number>>,
  tickersMs: 100,
  allLiquidationMs: 500,
  liquidationMs: 1000,
  kline: { minMs: 1000, maxMs: 60_000 },
  /** Mean gap between trade pushes of the rank-1 symbol, and the most any symbol waits on average. */
  trades: { meanMs: 50, maxMeanMs: 10_000 },
  /** Share of trade gaps inside a burst, and a burst gap's length as a share of the mean. */
  burst: { share: 0.8, gapShare: 0.1 },
  /** Trades per message: 1 + a geometric count with this mean, capped (Bybit batches one match's fills). */
  tradesPerPush: { extraMean: 1.5, max: 20 },
} as const;

/** Fixed real-ms intervals for some topic kinds, in place of Bybit's cadence (a test's own rhythm). */
export type PushIntervals = Readonly<Partial<Record<TopicKind, number>>>;

/**
 * How much slower than the rank-1 symbol this one trades: turnover is Zipf-skewed (rank^1.2), activity
 * is taken as its square root, so rank 10 trades 4× less often and rank 1000 about 60×.
 */
export function slowdown(symbol: SymbolInfo): number {
  return Math.sqrt(Math.max(1, TOP_TURNOVER / symbol.turnover));
}

const exponential = (u: number) => -Math.log(1 - u);

/**
 * A trade gap: most gaps are short (inside a burst), a few are long (between bursts), with the symbol's
 * mean overall. Seeded by (symbol, n), so a run is reproducible.
 */
export function tradeGapMs(symbol: SymbolInfo, n: number): number {
  const { trades, burst } = BYBIT_CADENCE;
  const mean = Math.min(trades.meanMs * slowdown(symbol), trades.maxMeanMs);
  const calmShare = (1 - burst.share * burst.gapShare) / (1 - burst.share);
  const inBurst = hash01(symbol.key, 0x7d, n) < burst.share;
  return mean * (inBurst ? burst.gapShare : calmShare) * exponential(hash01(symbol.key, 0x7e, n));
}

/** How many trades push number `n` of a symbol carries. */
export function tradesPerPush(symbol: SymbolInfo, n: number): number {
  const { extraMean, max } = BYBIT_CADENCE.tradesPerPush;
  return Math.min(max, 1 + Math.floor(exponential(hash01(symbol.key, 0x7f, n)) * extraMean));
}

function bybitGapMs(topic: Topic, n: number): number {
  const c = BYBIT_CADENCE;
  switch (topic.kind) {
    case 'orderbook':
      return c.orderbookMsByDepth[Number(topic.name.split('.')[1])] ?? c.orderbookMsByDepth[50]!;
    case 'tickers':
      return c.tickersMs;
    case 'kline':
      return Math.min(c.kline.maxMs, c.kline.minMs * slowdown(topic.symbol));
    case 'publicTrade':
      return tradeGapMs(topic.symbol, n);
    case 'allLiquidation':
      return c.allLiquidationMs;
    case 'liquidation':
      return c.liquidationMs;
  }
}

export interface GapInput {
  topic: Topic;
  /** Pushes of this topic scheduled so far on this connection. */
  n: number;
  /** The emulator's clock, simulated ms. */
  now: number;
  /** Real ms that a span of simulated ms takes at the clock's speed. */
  toRealMs: (simMs: number) => number;
  fixed?: PushIntervals;
}

/**
 * Real ms until the next push of a topic. A kline is pushed no later than just past its candle's end, so
 * the close is confirmed on time whatever the gap (Bybit sends it as the candle closes).
 */
export function pushGapMs(g: GapInput): number {
  const gap = g.fixed?.[g.topic.kind] ?? bybitGapMs(g.topic, g.n);
  if (g.topic.kind !== 'kline') return gap;
  const end = Math.floor(g.now / g.topic.param) * g.topic.param + g.topic.param;
  return Math.min(gap, g.toRealMs(end - g.now) + 1);
}

/** How far a stream may fall behind and catch up; past it (a stalled process) it skips ahead instead of bursting. */
export const STALL_MS = 100;

/** The due time after the push that was due at `due`, seen at real time `real`. */
export function nextDue(due: number, real: number, gap: number): number {
  return real - due > STALL_MS ? real + gap : due + gap;
}
