// @module-tag e2e
import { afterEach, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { createProExchange, type ProExchange } from '../exchange/ccxt-instance.ts';
import { createCcxtSource } from '../exchange/ccxt-source.ts';
import type { TickerSnapshot } from '../core/market-types.ts';
import { closers } from '../testing/closers.ts';
import { until } from '../testing/until.ts';
import { startEmulator, type EmulatorHandle } from './emulator.ts';
import { SimClock } from './sim-clock.ts';

const START = Date.UTC(2025, 0, 6, 12, 0, 0);
const MINUTE = 60_000;
const started = closers();
afterEach(() => started.closeAll());

function exchange(emu: EmulatorHandle): ProExchange {
  const ex = createProExchange({ restBaseUrl: emu.url, wsUrl: emu.wsUrl, allowNonLoopback: false, timeoutMs: 5000, enableRateLimit: false, wsCacheLimit: 50, onHttpRequest: () => {}, onWsMessage: () => {} });
  return started.add(ex, (x) => x.close());
}

async function instruments(emu: EmulatorHandle, query: string): Promise<Array<{ symbol: string; status: string }>> {
  const body = (await (await fetch(`${emu.url}/v5/market/instruments-info?category=linear&${query}`)).json()) as { result: { list: Array<{ symbol: string; status: string }> } };
  return body.result.list;
}

describe('a delisting with Bybit timing, through real ccxt', () => {
  it('status turns Delivering before removal, ccxt drops the market, and open streams outlive it for the linger only', { timeout: 30_000 }, async () => {
    let real = 0;
    const clock = new SimClock({ startMs: START, speed: 1, realNow: () => real });
    const emu = started.add(await startEmulator({ clock, symbols: 6, wsRate: 400, rotation: { size: 3, everyMs: 20 * MINUTE, delisting: { status: 'Delivering', statusLeadMs: 5 * MINUTE, lingerMs: 2 * MINUTE } } }), (e) => e.stop());
    const leaving = emu.market.all[0]!;
    const symbol = `${leaving.base}/USDT:USDT`;
    const ex = exchange(emu);
    await ex.loadHttpProxyAgent();
    await ex.loadMarkets();
    await ex.watchOHLCV(symbol, '1m');

    real = 16 * MINUTE;
    expect((await instruments(emu, 'limit=1000')).map((i) => i.symbol)).not.toContain(leaving.id);
    expect(await instruments(emu, 'status=Delivering')).toEqual([expect.objectContaining({ symbol: leaving.id, status: 'Delivering' })]);
    expect(await instruments(emu, `symbol=${leaving.id}`)).toEqual([expect.objectContaining({ status: 'Delivering' })]);
    await ex.loadMarkets(true);
    expect(ex.markets?.[symbol]).toBeUndefined();
    // The stream goes on; with the market gone ccxt files it under the bare exchange id.
    await until('a kline filed under the exchange id', () => ex.ohlcvs[leaving.id] !== undefined);

    real = 21 * MINUTE;
    expect(await instruments(emu, `symbol=${leaving.id}`)).toEqual([]);
    const pushed = emu.stats().ws.pushed;
    await until('pushes after the removal, within the linger', () => emu.stats().ws.pushed > pushed + 5);

    real = 23 * MINUTE;
    await new Promise((resolve) => setTimeout(resolve, 100));
    const after = emu.stats().ws.pushed;
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(emu.stats().ws.pushed).toBe(after);
  });
});

describe('sparse ticker deltas', () => {
  it('carry the symbol and only the fields that changed; ccxt merges them into a whole ticker', { timeout: 30_000 }, async () => {
    const emu = started.add(await startEmulator({ seed: 4, symbols: 3, speed: 60, pushIntervals: { tickers: 20 } }), (e) => e.stop());
    const ws = started.add(new WebSocket(emu.wsUrl), async (w) => w.terminate());
    const pushes: Array<{ type: string; data: Record<string, string> }> = [];
    ws.on('message', (d) => {
      const m = JSON.parse(String(d)) as { topic?: string; type: string; data: Record<string, string> };
      if (m.topic === 'tickers.ETHUSDT') pushes.push(m);
    });
    await new Promise((resolve) => ws.once('open', resolve));
    ws.send(JSON.stringify({ op: 'subscribe', req_id: '1', args: ['tickers.ETHUSDT'] }));
    await until('deltas', () => pushes.length > 20);
    const [snapshot, ...deltas] = pushes;
    expect(snapshot?.type).toBe('snapshot');
    expect(snapshot?.data['turnover24h']).toBeDefined();
    expect(deltas.every((d) => d.type === 'delta' && d.data['symbol'] === 'ETHUSDT' && d.data['turnover24h'] === undefined)).toBe(true);
    const fieldsPerDelta = deltas.map((d) => Object.keys(d.data).length);
    expect(Math.min(...fieldsPerDelta)).toBeLessThan(Object.keys(snapshot?.data ?? {}).length);
    expect(deltas.some((d) => d.data['bid1Price'] === undefined || d.data['lastPrice'] === undefined)).toBe(true);

    const source = started.add(createCcxtSource({ restBaseUrl: emu.url, wsUrl: emu.wsUrl, clock: emu.clock, timeframes: [] }), (s) => s.close());
    const tickers: TickerSnapshot[] = [];
    const none = () => undefined;
    const stop = started.add(new AbortController(), async (c) => c.abort());
    source.watch('ETH/USDT:USDT', { onCandles: none, onTrades: none, onOrderBook: none, onTicker: (t) => tickers.push(t) }, stop.signal);
    await until('tickers through ccxt', () => tickers.length > 20);
    expect(tickers.every((t) => Number.isFinite(t.last) && Number.isFinite(t.bid) && Number.isFinite(t.ask))).toBe(true);
  });
});
