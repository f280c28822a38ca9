import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { startEmulator, type EmulatorHandle } from './emulator.ts';

const START = Date.UTC(2025, 0, 6, 12, 0, 0);
let emu: EmulatorHandle;

async function get(path: string): Promise<{ status: number; body: { retCode: number; retMsg: string; result: Record<string, unknown> } }> {
  const res = await fetch(`${emu.url}${path}`);
  return { status: res.status, body: (await res.json()) as never };
}

beforeAll(async () => {
  emu = await startEmulator({ seed: 7, symbols: 6, speed: 1, startMs: START, wsRate: 400 });
});
afterAll(async () => {
  await emu.stop();
});

describe('emulator REST', () => {
  it('binds 127.0.0.1 on an ephemeral port', () => {
    expect(emu.port).toBeGreaterThan(0);
    expect(emu.url).toBe(`http://127.0.0.1:${emu.port}`);
    expect(emu.wsUrl).toBe(`ws://127.0.0.1:${emu.port}/v5/public/linear`);
  });

  it('lists linear perps, and no PreLaunch ones', async () => {
    const { body } = await get('/v5/market/instruments-info?category=linear&limit=1000');
    const list = body.result['list'] as Array<{ symbol: string; contractType: string; settleCoin: string }>;
    const ids = list.map((i) => i.symbol);
    expect([...ids].sort()).toEqual(['BTCPERP', 'BTCUSDT', 'ETHPERP', 'ETHUSDT', 'SYM001USDT', 'SYM002USDT', 'SYM003USDT', 'SYM004USDT']);
    // Unranked, as Bybit lists them: the majors are not simply first.
    expect(ids.slice(0, 2)).not.toEqual(['BTCUSDT', 'ETHUSDT']);
    expect(list.every((i) => i.contractType === 'LinearPerpetual' && i.settleCoin === (i.symbol.endsWith('PERP') ? 'USDC' : 'USDT'))).toBe(true);
    const pre = await get('/v5/market/instruments-info?category=linear&status=PreLaunch');
    expect(pre.body.result['list']).toEqual([]);
  });

  it('serves klines newest first, as strings, on the grid, with the forming candle last in time', async () => {
    const { body } = await get('/v5/market/kline?category=linear&symbol=BTCUSDT&interval=5&limit=10');
    const rows = body.result['list'] as string[][];
    expect(rows).toHaveLength(10);
    const ts = rows.map((r) => Number(r[0]));
    for (let i = 1; i < ts.length; i++) expect(ts[i - 1]! - ts[i]!).toBe(300_000);
    expect(ts[0]! % 300_000).toBe(0);
    expect(ts[0]).toBeLessThanOrEqual(emu.clock.now());
    for (const r of rows) {
      expect(r).toHaveLength(7);
      expect(Number(r[2])).toBeGreaterThanOrEqual(Number(r[3]));
    }
  });

  it('derives every timeframe from one price path: a 15m candle opens where its first 5m candle opens', async () => {
    const m15 = (await get('/v5/market/kline?category=linear&symbol=ETHUSDT&interval=15&limit=3')).body.result['list'] as string[][];
    const start = m15[1]![0]!;
    const m5 = (await get(`/v5/market/kline?category=linear&symbol=ETHUSDT&interval=5&start=${start}&limit=3`)).body.result['list'] as string[][];
    expect(m5[m5.length - 1]![0]).toBe(start);
    expect(m5[m5.length - 1]![1]).toBe(m15[1]![1]);
    expect(m5[0]![4]).toBe(m15[1]![4]);
  });

  it('is deterministic for a seed: a second emulator serves the same closed candles', async () => {
    const other = await startEmulator({ seed: 7, symbols: 6, startMs: START });
    try {
      const path = `/v5/market/kline?category=linear&symbol=SYM002USDT&interval=60&end=${START - 3_600_000}&limit=5`;
      const a = (await get(path)).body.result['list'];
      const b = ((await (await fetch(`${other.url}${path}`)).json()) as { result: { list: unknown } }).result.list;
      expect(b).toEqual(a);
    } finally {
      await other.stop();
    }
  });

  it('answers an unknown endpoint and a bad param with Bybit-shaped errors', async () => {
    const unknown = await get('/v5/market/nope');
    expect(unknown.status).toBe(404);
    expect(unknown.body.retCode).toBe(10001);
    const bad = await get('/v5/market/kline?category=linear&symbol=NOPEUSDT&interval=1');
    expect(bad.body.retCode).toBe(10001);
    expect(bad.body.retMsg).toMatch(/symbol/);
  });

  it('switches faults at runtime through POST /__sim/faults', async () => {
    const set = await fetch(`${emu.url}/__sim/faults`, { method: 'POST', body: JSON.stringify({ rateLimit: { next: 2 }, serverError: { next: 1, status: 502 } }) });
    expect(set.status).toBe(200);
    const statuses = [];
    for (let i = 0; i < 4; i++) statuses.push((await fetch(`${emu.url}/v5/market/time`)).status);
    expect(statuses).toEqual([200, 200, 502, 200]);
    const bad = await fetch(`${emu.url}/__sim/faults`, { method: 'POST', body: JSON.stringify({ rateLimit: { rate: 2 } }) });
    expect(bad.status).toBe(400);
    expect(await bad.text()).toMatch(/faults.rateLimit.rate must be within \[0, 1\]/);
    emu.clearFaults();
  });

  it('corrupts every Nth kline row when malformedEvery is set, cycling through the kinds', async () => {
    emu.setFaults({ malformedEvery: 2 });
    const rows = (await get('/v5/market/kline?category=linear&symbol=BTCUSDT&interval=1&limit=10')).body.result['list'] as string[][];
    emu.clearFaults();
    const broken = rows.filter((r) => r.length !== 7 || r.includes('NaN') || Number(r[2]) < Number(r[3]) || Number(r[0]) % 60_000 !== 0 || Number(r[0]) > emu.clock.now());
    expect(broken.length).toBe(5);
  });

  it('rotates the listed universe over simulated time', async () => {
    let real = 0;
    const { SimClock } = await import('./sim-clock.ts');
    const clock = new SimClock({ startMs: START, speed: 1, realNow: () => real });
    const rotating = await startEmulator({ clock, symbols: 5, rotation: { size: 3, everyMs: 60_000 } });
    try {
      const listed = async () =>
        ((await (await fetch(`${rotating.url}/v5/market/instruments-info?category=linear`)).json()) as { result: { list: Array<{ symbol: string }> } }).result.list.map((i) => i.symbol);
      const usdt = async () => (await listed()).filter((id) => id.endsWith('USDT')).sort();
      expect(await usdt()).toEqual(['BTCUSDT', 'ETHUSDT', 'SYM001USDT']);
      real = 60_000;
      expect(await usdt()).toEqual(['ETHUSDT', 'SYM001USDT', 'SYM002USDT']);
    } finally {
      await rotating.stop();
    }
  });
});

describe('emulator WS', () => {
  it('acks subscribe and ping as Bybit does, pushes, and stops after unsubscribe', async () => {
    const ws = new WebSocket(emu.wsUrl);
    const messages: Array<Record<string, unknown>> = [];
    ws.on('message', (d) => messages.push(JSON.parse(String(d)) as Record<string, unknown>));
    await new Promise((resolve) => ws.once('open', resolve));
    ws.send(JSON.stringify({ op: 'subscribe', req_id: 5, args: ['kline.1.BTCUSDT', 'tickers.BTCUSDT'] }));
    ws.send(JSON.stringify({ op: 'ping', req_id: 6 }));
    ws.send(JSON.stringify({ op: 'subscribe', req_id: 7, args: ['kline.1.NOPE'] }));
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(messages).toContainEqual(expect.objectContaining({ success: true, ret_msg: '', op: 'subscribe', req_id: 5 }));
    expect(messages).toContainEqual(expect.objectContaining({ success: true, ret_msg: 'pong', op: 'ping', req_id: 6 }));
    expect(messages).toContainEqual(expect.objectContaining({ success: false, op: 'subscribe', req_id: 7 }));
    const topics = new Set(messages.map((m) => m['topic']).filter(Boolean));
    expect(topics).toEqual(new Set(['kline.1.BTCUSDT', 'tickers.BTCUSDT']));
    const tickers = messages.filter((m) => m['topic'] === 'tickers.BTCUSDT');
    expect(tickers[0]!['type']).toBe('snapshot');
    expect(tickers.slice(1).every((m) => m['type'] === 'delta')).toBe(true);

    ws.send(JSON.stringify({ op: 'unsubscribe', req_id: 8, args: ['kline.1.BTCUSDT', 'tickers.BTCUSDT'] }));
    // Pushes sent before the ack arrive before it (one ordered socket); none may follow it. A fixed wait
    // instead failed on a loaded machine, where a push sent before the unsubscribe arrived 100 ms later.
    for (let i = 0; i < 250 && !messages.some((m) => m['op'] === 'unsubscribe' && m['req_id'] === 8); i++) await new Promise((resolve) => setTimeout(resolve, 20));
    expect(messages).toContainEqual(expect.objectContaining({ success: true, op: 'unsubscribe', req_id: 8 }));
    const after = messages.length;
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(messages.length).toBe(after);
    ws.close();
  });

  it('keeps the push rate within its budget', async () => {
    const ws = new WebSocket(emu.wsUrl);
    let pushes = 0;
    ws.on('message', (d) => {
      if (String(d).includes('"topic"')) pushes += 1;
    });
    await new Promise((resolve) => ws.once('open', resolve));
    ws.send(JSON.stringify({ op: 'subscribe', req_id: 1, args: ['publicTrade.ETHUSDT'] }));
    const t0 = performance.now();
    await new Promise((resolve) => setTimeout(resolve, 500));
    const seconds = (performance.now() - t0) / 1000;
    ws.close();
    // 400 msg/s plus at most the 100 ms burst allowance.
    expect(pushes).toBeGreaterThan(0);
    expect(pushes).toBeLessThanOrEqual(400 * seconds + 41);
  });
});
