// @module-tag e2e
import { afterEach, describe, expect, it } from 'vitest';
import type { OrderBookSnapshot } from '../core/market-types.ts';
import { startEmulator, type EmulatorHandle } from '../sim/emulator.ts';
import type { TopicKind } from '../sim/ws-topics.ts';
import { until } from '../testing/until.ts';
import { createCcxtSource } from './ccxt-source.ts';
import type { MarketSource, StreamHandlers } from './market-source.ts';

const BTC = 'BTC/USDT:USDT';
const BOOK_TOPIC = 'orderbook.50.BTCUSDT';
/** Simulated ms: a resubscribe has 30 s to bring its snapshot, 3 tries, 6 s then 12 s between them. */
const RESYNC = { deadlineMs: 30_000, retry: { attempts: 3, baseMs: 6_000, maxMs: 60_000, jitter: 0 } };
/** Simulated ms from a drop to the next round: 2 real seconds at 60×. */
const REVIVE = { baseMs: 120_000, maxMs: 600_000, jitter: 0 };
/** The most a resync can take before it recovers or drops: every deadline and every backoff. */
const RESYNC_BUDGET_MS = 3 * RESYNC.deadlineMs + 6_000 + 12_000;

let emu: EmulatorHandle | undefined;
let source: MarketSource | undefined;
let controller = new AbortController();

afterEach(async () => {
  controller.abort();
  controller = new AbortController();
  await source?.close();
  await emu?.stop();
});

async function watched(): Promise<{ emu: EmulatorHandle; source: MarketSource; book: () => OrderBookSnapshot | undefined }> {
  // 60×: a simulated minute per real second.
  emu = await startEmulator({ seed: 11, symbols: 4, speed: 60, wsRate: 600 });
  source = createCcxtSource({ restBaseUrl: emu.url, wsUrl: emu.wsUrl, clock: emu.clock, random: () => 0.5, timeframes: ['1m'], resync: RESYNC, maxRefusals: 3, revive: REVIVE });
  let book: OrderBookSnapshot | undefined;
  const none = () => undefined;
  const handlers: StreamHandlers = { onCandles: none, onTicker: none, onTrades: none, onOrderBook: (b) => (book = b) };
  source.watch(BTC, handlers, controller.signal);
  await until('the first book', () => book !== undefined, 20_000);
  return { emu, source, book: () => book };
}

const errors = (s: MarketSource, kind: string) => s.stats().errorsByKind[kind] ?? 0;

/** Loses one book delta (a gap) with `refuse` set for the resubscribes that follow; resolves at the gap. */
async function gapWith(e: EmulatorHandle, s: MarketSource, refuse: NonNullable<Parameters<EmulatorHandle['setFaults']>[0]['refuseSubscribe']>): Promise<number> {
  e.setFaults({ refuseSubscribe: { kinds: ['orderbook'], ...refuse }, bookDeltaLossEvery: 2 });
  await until('a gap', () => errors(s, 'orderbook:gap') > 0, 20_000);
  const at = e.clock.now();
  e.setFaults({ bookDeltaLossEvery: 0 });
  return at;
}

describe('a refused or unanswered book resync, through real ccxt', () => {
  it('is retried with backoff and recovers within its deadline; the book reads stale meanwhile', { timeout: 60_000 }, async () => {
    const { emu: e, source: s, book } = await watched();
    const gapAt = await gapWith(e, s, { next: 2 });
    expect(book()?.stale).toBe(true);
    expect(s.stats().topics?.resyncing).toEqual([BOOK_TOPIC]);
    await until('the recovery', () => errors(s, 'orderbook:recovered') > 0, 20_000);
    const tookMs = e.clock.now() - gapAt;
    expect(errors(s, 'orderbook:refused')).toBe(2);
    expect(tookMs).toBeLessThan(RESYNC_BUDGET_MS);
    expect(book()?.stale).toBe(false);
    expect(s.stats().topics).toEqual({ resyncing: [], dropped: [] });
    console.log(`refused resync: recovered after ${errors(s, 'orderbook:refused')} refusals in ${(tookMs / 1000).toFixed(1)} s simulated (budget ${RESYNC_BUDGET_MS / 1000} s)`);
  });

  it.each([
    ['refused', { rate: 1 }],
    ['timeout', { rate: 1, silent: true }],
  ] as const)('%s every time: the topic is dropped after its attempts, within the budget, and /status data says so', { timeout: 60_000 }, async (reason, refuse) => {
    const { emu: e, source: s, book } = await watched();
    const gapAt = await gapWith(e, s, refuse);
    await until('the drop', () => (s.stats().topics?.dropped.length ?? 0) > 0, 30_000);
    const tookMs = e.clock.now() - gapAt;
    const [dropped] = s.stats().topics?.dropped ?? [];
    expect(dropped).toEqual({ topic: BOOK_TOPIC, symbol: BTC, reason, attempts: 3, at: expect.any(Number), drops: 1, retryAt: expect.any(Number) });
    expect((dropped?.retryAt ?? 0) - (dropped?.at ?? 0)).toBe(REVIVE.baseMs);
    expect(errors(s, `orderbook:${reason}`)).toBe(3);
    expect(tookMs).toBeLessThan(RESYNC_BUDGET_MS + 30_000);
    expect(book()?.stale).toBe(true);
    console.log(`${reason} resync: dropped after 3 attempts in ${(tookMs / 1000).toFixed(1)} s simulated`);
  });

  it('dropped after a whole round of refusals, it is revived after its wait and recovers: never stale for good', { timeout: 60_000 }, async () => {
    const { emu: e, source: s, book } = await watched();
    const gapAt = await gapWith(e, s, { next: 3 });
    await until('the drop', () => (s.stats().topics?.dropped.length ?? 0) > 0, 30_000);
    expect(book()?.stale).toBe(true);
    await until('the revived book', () => errors(s, 'orderbook:recovered') > 0, 30_000);
    const tookMs = e.clock.now() - gapAt;
    expect(errors(s, 'orderbook:revive')).toBe(1);
    expect(book()?.stale).toBe(false);
    expect(s.stats().topics).toEqual({ resyncing: [], dropped: [] });
    expect(tookMs).toBeLessThan(RESYNC_BUDGET_MS + REVIVE.baseMs + RESYNC.deadlineMs);
    console.log(`refused round, then revived: live again ${(tookMs / 1000).toFixed(1)} s simulated after the gap`);
  });
});

describe('a refused subscribe of any topic kind, through real ccxt', () => {
  it.each([
    ['kline', 'ohlcv::BTC/USDT:USDT::1m'],
    ['tickers', 'ticker:BTC/USDT:USDT'],
    ['publicTrade', 'trade:BTC/USDT:USDT'],
    ['orderbook', 'orderbook:BTC/USDT:USDT'],
  ] as Array<[TopicKind, string]>)('%s: retried, counted, dropped and listed while the other streams go on, then revived once the exchange takes it', { timeout: 90_000 }, async (kind, hash) => {
    const e = (emu = await startEmulator({ seed: 11, symbols: 4, speed: 60, wsRate: 600, faults: { refuseSubscribe: { kinds: [kind], rate: 1 } } }));
    source = createCcxtSource({ restBaseUrl: emu.url, wsUrl: emu.wsUrl, clock: emu.clock, random: () => 0.5, timeframes: ['1m'], maxRefusals: 3, revive: REVIVE });
    const s = source;
    const seen = new Set<string>();
    const handlers: StreamHandlers = {
      onCandles: () => seen.add('kline'),
      onTicker: () => seen.add('tickers'),
      onTrades: () => seen.add('publicTrade'),
      onOrderBook: () => seen.add('orderbook'),
    };
    s.watch(BTC, handlers, controller.signal);
    await until('the drop', () => (s.stats().topics?.dropped.length ?? 0) > 0, 30_000);
    expect(s.stats().topics?.dropped).toEqual([{ topic: hash, symbol: BTC, reason: 'refused', attempts: 3, at: expect.any(Number), drops: 1, retryAt: expect.any(Number) }]);
    expect(errors(s, 'subscribe:dropped')).toBe(1);
    await until('the other streams', () => seen.size === 3, 20_000);
    expect(seen.has(kind)).toBe(false);
    // Still refused at the revive: dropped again, and the next wait is twice as long.
    await until('the second drop', () => errors(s, 'subscribe:dropped') === 2, 30_000);
    expect(s.stats().topics?.dropped.map((d) => [d.drops, d.retryAt - d.at])).toEqual([[2, 2 * REVIVE.baseMs]]);
    // The exchange takes the subscribe again: the next revive brings the stream back.
    e.clearFaults();
    await until('the revived stream', () => seen.has(kind), 30_000);
    expect(errors(s, 'subscribe:revived')).toBe(1);
    expect(s.stats().topics?.dropped).toEqual([]);
    await s.unwatch(BTC);
  });
});
