// @module-tag e2e
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { configSchema } from '../config/config-schema.ts';
import { bookStep, standaloneBookGuard } from '../exchange/book-sequence.ts';
import { createProExchange, type ProExchange } from '../exchange/ccxt-instance.ts';
import { createCcxtSource } from '../exchange/ccxt-source.ts';
import { createLogger } from '../log/create-logger.ts';
import { startService, type ServiceHandle } from '../service/start-service.ts';
import { lineSink } from '../testing/line-sink.ts';
import { startEmulator, type EmulatorHandle } from './emulator.ts';
import { until } from '../testing/until.ts';

const MINUTE = 60_000;
const open: Array<{ close(): unknown }> = [];
afterEach(async () => {
  for (const o of open.splice(0).reverse()) await o.close();
});
let emulators: EmulatorHandle[] = [];
afterAll(async () => {
  await Promise.all(emulators.map((e) => e.stop()));
  emulators = [];
});

async function emulator(o: Parameters<typeof startEmulator>[0]): Promise<EmulatorHandle> {
  const e = await startEmulator(o);
  emulators.push(e);
  return e;
}

/** A real ccxt pro bybit aimed at the emulator, closed after each test. */
function loopbackExchange(emu: EmulatorHandle, extra: Partial<Parameters<typeof createProExchange>[0]> = {}): ProExchange {
  const ex = createProExchange({
    restBaseUrl: emu.url,
    wsUrl: emu.wsUrl,
    allowNonLoopback: false,
    timeoutMs: 5000,
    enableRateLimit: false,
    wsCacheLimit: 50,
    onHttpRequest: () => {},
    onWsMessage: () => {},
    ...extra,
  });
  open.push({ close: () => ex.close() });
  return ex;
}

interface Push {
  topic: string;
  type: string;
  ts: number;
  data: unknown;
}

/** A bare client of the emulator's stream that keeps every push of `topic`. */
async function rawSubscribe(emu: EmulatorHandle, topic: string): Promise<Push[]> {
  const ws = new WebSocket(emu.wsUrl);
  open.push({ close: () => ws.terminate() });
  const pushes: Push[] = [];
  ws.on('message', (raw) => {
    const m = JSON.parse(String(raw)) as Push;
    if (m.topic === topic) pushes.push(m);
  });
  await new Promise((resolve) => ws.once('open', resolve));
  ws.send(JSON.stringify({ op: 'subscribe', args: [topic], req_id: '1' }));
  return pushes;
}


type Level = [string, string];
const asNumbers = (levels: readonly Level[]) => levels.map(([p, s]) => [Number(p), Number(s)]);

describe('emulator order book: snapshot, then deltas that insert, update and delete (size "0")', () => {
  it('numbers every delta, and the deltas applied to the snapshot give the emulator truth', async () => {
    // Fast enough that the mid crosses levels (inserts and deletes) within a second of real time.
    const emu = await emulator({ seed: 5, symbols: 3, speed: 600, wsRate: 400 });
    const pushes = await rawSubscribe(emu, 'orderbook.50.BTCUSDT');
    await until('40 book pushes', () => pushes.length >= 40, 15_000);
    const book = { b: new Map<string, string>(), a: new Map<string, string>() };
    let inserts = 0;
    let deletes = 0;
    pushes.forEach((p, i) => {
      const d = p.data as { b: Level[]; a: Level[]; u: number };
      expect(p.type).toBe(i === 0 ? 'snapshot' : 'delta');
      expect(d.u).toBe(i + 1);
      for (const side of ['b', 'a'] as const) {
        for (const [price, size] of d[side]) {
          if (size === '0') {
            expect(book[side].has(price)).toBe(true);
            book[side].delete(price);
            if (i > 0) deletes += 1;
          } else {
            if (i > 0 && !book[side].has(price)) inserts += 1;
            book[side].set(price, size);
          }
        }
      }
    });
    expect(inserts).toBeGreaterThan(0);
    expect(deletes).toBeGreaterThan(0);
    const last = pushes.at(-1)!;
    const truth = emu.market.book(emu.market.symbol('BTCUSDT')!, last.ts, 50);
    const sorted = (m: Map<string, string>, dir: 1 | -1) => [...m].sort((x, y) => dir * (Number(x[0]) - Number(y[0])));
    expect(sorted(book.b, -1)).toEqual(truth.bids);
    expect(sorted(book.a, 1)).toEqual(truth.asks);
  });

  it('real ccxt (watchOrderBook) ends with the same book as the emulator', async () => {
    const emu = await emulator({ seed: 6, symbols: 3, speed: 600, wsRate: 400 });
    const ex = loopbackExchange(emu);
    await ex.loadHttpProxyAgent();
    await ex.loadMarkets();
    let updates = 0;
    let ob = await ex.watchOrderBook('ETH/USDT:USDT', 50);
    while (updates++ < 40) ob = await ex.watchOrderBook('ETH/USDT:USDT', 50);
    // Read in the same tick as the last message ccxt applied: its timestamp is that push's ts.
    const truth = emu.market.book(emu.market.symbol('ETHUSDT')!, ob.timestamp!, 50);
    expect(ob.bids.map(([p, s]) => [p, s])).toEqual(asNumbers(truth.bids));
    expect(ob.asks.map(([p, s]) => [p, s])).toEqual(asNumbers(truth.asks));
  });
});

describe('order-book sequence check (app/exchange/book-sequence.ts)', () => {
  it('drops the deltas after a gap in u, resubscribes, and ends with the emulator truth again', async () => {
    const emu = await emulator({ seed: 6, symbols: 3, speed: 600, wsRate: 400, faults: { bookDeltaLossEvery: 7 } });
    const gaps: string[] = [];
    const ex = loopbackExchange(emu, { bookGuard: standaloneBookGuard({ onEvent: (event, topic) => event === 'gap' && gaps.push(topic) }) });
    await ex.loadHttpProxyAgent();
    await ex.loadMarkets();
    let ob = await ex.watchOrderBook('ETH/USDT:USDT', 50);
    for (let i = 0; i < 60; i++) ob = await ex.watchOrderBook('ETH/USDT:USDT', 50);
    expect(gaps.length).toBeGreaterThan(1);
    expect(new Set(gaps)).toEqual(new Set(['orderbook.50.ETHUSDT']));
    // Only whole runs of u reach the book, so it is the truth as of the last push applied.
    const truth = emu.market.book(emu.market.symbol('ETHUSDT')!, ob.timestamp!, 50);
    expect(ob.bids.map(([p, s]) => [p, s])).toEqual(asNumbers(truth.bids));
    expect(ob.asks.map(([p, s]) => [p, s])).toEqual(asNumbers(truth.asks));
  });

  it.each([
    [undefined, 'snapshot', 1, 'apply'],
    [4, 'delta', 5, 'apply'],
    [4, 'delta', 6, 'gap'],
    [4, 'delta', 4, 'gap'],
    [undefined, 'delta', 9, 'gap'],
    [-1, 'delta', 5, 'drop'],
    [-1, 'snapshot', 1, 'apply'],
  ] as const)('bookStep(last %s, %s, u %s) is %s', (last, type, u, step) => {
    expect(bookStep(last, type, u)).toBe(step);
  });
});

describe('emulator klines close with confirm: true', () => {
  it('sends the closing candle once, final and confirmed, then the next one forming', async () => {
    const emu = await emulator({ seed: 5, symbols: 3, speed: 60, wsRate: 200 });
    const pushes = await rawSubscribe(emu, 'kline.1.BTCUSDT');
    type Item = { start: number; confirm: boolean; close: string };
    const items = () => pushes.flatMap((p) => p.data as Item[]);
    await until('a first kline', () => items().length > 0, 15_000);
    const forming = items()[0]!.start;
    await until('a kline of the next minute', () => items().some((k) => k.start > forming), 20_000);
    const closing = items().filter((k) => k.start === forming);
    const confirmed = closing.filter((k) => k.confirm);
    expect(confirmed).toHaveLength(1);
    expect(closing.at(-1)).toBe(confirmed[0]);
    const s = emu.market.symbol('BTCUSDT')!;
    expect(confirmed[0]!.close).toBe(emu.market.round(s, emu.market.candle(s, MINUTE, forming, forming + MINUTE).close));
    expect(items().filter((k) => k.start > forming).every((k) => !k.confirm)).toBe(true);
  });

  it('the service stores the confirmed close once, as the final candle of its minute', async () => {
    const sink = lineSink();
    // SYM004 (seed 5) has 5 decimals, so a close taken before the minute ended differs from the final one. REST
    // backfills once (1m refresh: a day), so the final values can only come from the confirming push.
    const config = configSchema.parse({
      http: { port: 0 },
      symbols: ['SYM004/USDT:USDT'],
      timeframes: ['1m'],
      refresh: { ohlcvSeconds: { '1m': 86_400 } },
    });
    const emu = await emulator({ seed: 5, symbols: 6, speed: 20, wsRate: 200 });
    expect(emu.market.symbol('SYM004USDT')!.decimals).toBe(5);
    const service: ServiceHandle = await startService({
      config: { ...config, exchange: 'bybit', bybit: { restUrl: emu.url, wsUrl: emu.wsUrl } },
      clock: emu.clock,
      log: createLogger({ destination: sink.stream, level: 'warn' }),
      cleanup: false,
    });
    open.push({ close: () => service.stop() });
    const store = () => service.manager.ohlcv.get('SYM004/USDT:USDT|1m');
    await until('streamed candles', () => emu.stats().ws.pushed > 20 && store() !== undefined, 30_000);
    const forming = store()!.last()![0];
    await until('a candle of the next minute', () => (store()?.last()?.[0] ?? 0) > forming, 20_000);
    const rows = store()!.toArray();
    const closed = rows.filter((c) => c[0] === forming);
    expect(closed).toHaveLength(1);
    const s = emu.market.symbol('SYM004USDT')!;
    const truth = emu.market.candle(s, MINUTE, forming, forming + MINUTE);
    expect(closed[0]!.slice(1, 5)).toEqual([truth.open, truth.high, truth.low, truth.close].map((v) => Number(emu.market.round(s, v))));
    expect(new Set(rows.map((c) => c[0])).size).toBe(rows.length);
  }, 60_000);
});

describe('emulator WS idle close', () => {
  it('closes a connection that sent no ping in time, and keeps one that pings', async () => {
    const emu = await emulator({ seed: 5, symbols: 3, wsRate: 50, wsIdleCloseMs: 300 });
    const connect = async () => {
      const ws = new WebSocket(emu.wsUrl);
      open.push({ close: () => ws.terminate() });
      await new Promise((resolve) => ws.once('open', resolve));
      return ws;
    };
    const silent = await connect();
    const pinging = await connect();
    const timer = setInterval(() => pinging.send(JSON.stringify({ op: 'ping', req_id: 'p' })), 100);
    open.push({ close: () => clearInterval(timer) });
    const closed = new Promise((resolve) => silent.once('close', resolve));
    await closed;
    await new Promise((r) => setTimeout(r, 500));
    expect(pinging.readyState).toBe(WebSocket.OPEN);
    expect(emu.stats().ws.idleCloses).toBe(1);
  });

  it('the ccxt source reconnects and resubscribes after the server closed its idle connection', async () => {
    // ccxt pings every 18 s, so a 400 ms idle limit closes its connection again and again.
    const emu = await emulator({ seed: 5, symbols: 3, speed: 10, wsRate: 200, wsIdleCloseMs: 400 });
    const source = createCcxtSource({ restBaseUrl: emu.url, wsUrl: emu.wsUrl, clock: emu.clock, timeframes: ['1m'], reconnect: { baseMs: 50, maxMs: 200 } });
    open.push({ close: () => source.close() });
    const controller = new AbortController();
    open.push({ close: () => controller.abort() });
    let tickers = 0;
    const none = () => {};
    source.watch('BTC/USDT:USDT', { onCandles: none, onTrades: none, onOrderBook: none, onTicker: () => (tickers += 1) }, controller.signal);
    await until('an idle close', () => emu.stats().ws.idleCloses >= 1 && tickers > 0, 15_000);
    const after = tickers;
    await until('tickers after a reconnect', () => source.stats().reconnects >= 1 && tickers > after + 3, 20_000);
    expect(emu.stats().ws.subscriptions).toBeGreaterThan(0);
  });
});

describe("emulator per-symbol push cadence (Bybit's by default)", () => {
  it('pushes each topic of each symbol on its own interval, not from one shared rate, and confirms each candle close', async () => {
    // At speed 60 a 1m candle closes every real second: sooner than BTC's 1 s kline gap would come round.
    const emu = await emulator({ seed: 5, symbols: 3, speed: 60 });
    const ws = new WebSocket(emu.wsUrl);
    open.push({ close: () => ws.terminate() });
    const counts = new Map<string, number>();
    let confirmed = 0;
    ws.on('message', (raw) => {
      const m = JSON.parse(String(raw)) as { topic?: string; data?: unknown };
      if (!m.topic) return;
      counts.set(m.topic, (counts.get(m.topic) ?? 0) + 1);
      if (m.topic.startsWith('kline.') && Array.isArray(m.data)) confirmed += m.data.filter((k: { confirm?: boolean }) => k.confirm === true).length;
    });
    await new Promise((resolve) => ws.once('open', resolve));
    const topics = ['orderbook.50.BTCUSDT', 'orderbook.200.BTCUSDT', 'tickers.BTCUSDT', 'tickers.ETHUSDT', 'kline.1.BTCUSDT'];
    const t0 = performance.now();
    ws.send(JSON.stringify({ op: 'subscribe', args: topics, req_id: '1' }));
    await new Promise((r) => setTimeout(r, 2600));
    const ms = performance.now() - t0;
    // Never faster than the cadence (+1 for the first push); slower only when the machine stalls.
    const most = (every: number) => Math.floor(ms / every) + 1;
    const count = (t: string) => counts.get(t) ?? 0;
    expect(count('orderbook.50.BTCUSDT')).toBeLessThanOrEqual(most(20));
    expect(count('orderbook.200.BTCUSDT')).toBeLessThanOrEqual(most(100));
    for (const t of ['tickers.BTCUSDT', 'tickers.ETHUSDT']) expect(count(t)).toBeLessThanOrEqual(most(100));
    expect(count('orderbook.50.BTCUSDT')).toBeGreaterThan(count('tickers.BTCUSDT') * 2);
    expect(count('tickers.BTCUSDT')).toBeGreaterThan(count('kline.1.BTCUSDT') * 2);
    expect(confirmed).toBeGreaterThanOrEqual(2);
    expect(confirmed).toBeLessThanOrEqual(3);
  });

  it('a fixed global rate (wsRate) and per-topic intervals exclude each other', async () => {
    await expect(startEmulator({ wsRate: 100, pushIntervals: { orderbook: 100 } })).rejects.toThrow(/exclude each other/);
  });
});
