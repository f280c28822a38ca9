import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startEmulator, type EmulatorHandle } from './emulator.ts';
import { SimClock } from './sim-clock.ts';

const START = Date.UTC(2026, 0, 5);
let real = 0;
let emu: EmulatorHandle;

beforeAll(async () => {
  emu = await startEmulator({ clock: new SimClock({ startMs: START, realNow: () => real }), symbols: 9, instrumentsPageMax: 4 });
});
afterAll(() => emu.stop());

const get = async (path: string) => {
  const res = await fetch(`${emu.url}${path}`);
  const text = await res.text();
  return { status: res.status, headers: res.headers, text, json: () => JSON.parse(text) as { retCode: number; result: { list: Array<Record<string, string>>; nextPageCursor?: string } } };
};

describe('emulator REST faults in Bybit shapes', () => {
  it('10006 is HTTP 200 with the X-Bapi-Limit headers and a reset timestamp on the emulator clock', async () => {
    emu.setFaults({ rateLimit: { next: 2, resetMs: 4_000 } });
    const r = await get('/v5/market/time');
    expect(r.status).toBe(200);
    expect(r.json().retCode).toBe(10006);
    expect(r.headers.get('x-bapi-limit-status')).toBe('0');
    expect(r.headers.get('x-bapi-limit')).toMatch(/^\d+$/);
    expect(Number(r.headers.get('x-bapi-limit-reset-timestamp'))).toBe(emu.clock.now() + 4_000);
    emu.setFaults({ rateLimit: { next: 1, resetHeader: false } });
    expect((await get('/v5/market/time')).headers.get('x-bapi-limit-reset-timestamp')).toBeNull();
    emu.clearFaults();
  });

  it('an IP ban answers every request with an HTML 403 for its duration, then lifts', async () => {
    emu.setFaults({ ipBan: { next: 1, durationMs: 600_000 } });
    const first = await get('/v5/market/time');
    expect(first.status).toBe(403);
    expect(first.text).toMatch(/403 Forbidden/);
    emu.clearFaults();
    real += 599_999;
    expect((await get('/v5/market/tickers?category=linear')).status).toBe(403);
    expect(emu.stats().banEndsAt).toBe(START + 600_000);
    real += 1;
    expect((await get('/v5/market/time')).status).toBe(200);
    expect(emu.stats().restFaults.ipBan).toBe(2);
  });

  it('10016 is HTTP 200 with retCode 10016', async () => {
    emu.setFaults({ systemError: { next: 1 } });
    const r = await get('/v5/market/time');
    expect([r.status, r.json().retCode]).toEqual([200, 10016]);
    expect((await get('/v5/market/time')).json().retCode).toBe(0);
  });
});

describe('emulator pagination (nextPageCursor)', () => {
  async function walk(path: string, max = 20): Promise<{ rows: Array<Record<string, string>>; pages: number }> {
    const rows: Array<Record<string, string>> = [];
    let cursor: string | undefined;
    for (let pages = 1; pages <= max; pages++) {
      const body = (await get(`${path}${cursor ? `&cursor=${cursor}` : ''}`)).json();
      rows.push(...body.result.list);
      cursor = body.result.nextPageCursor;
      if (!cursor) return { rows, pages };
    }
    throw new Error('pagination did not end');
  }

  it('instruments-info pages through every listed symbol, capped per page', async () => {
    const { rows, pages } = await walk('/v5/market/instruments-info?category=linear&limit=1000');
    expect(pages).toBe(3);
    expect(rows.map((r) => r['symbol'])).toEqual(emu.market.listed(emu.clock.now()).map((s) => s.id));
    expect((await get('/v5/market/instruments-info?category=linear&cursor=')).json().result.list).toEqual([]);
    expect((await get('/v5/market/instruments-info?category=linear&cursor=bogus')).json().retCode).toBe(10001);
  });

  it('open-interest and account-ratio continue from the cursor with no gap or overlap', async () => {
    for (const path of ['/v5/market/open-interest?category=linear&symbol=BTCUSDT&intervalTime=1h&limit=7', '/v5/market/account-ratio?category=linear&symbol=BTCUSDT&period=1h&limit=7']) {
      const startTime = emu.clock.now() - 20 * 3_600_000;
      const { rows, pages } = await walk(`${path}&startTime=${startTime}`);
      const ts = rows.map((r) => Number(r['timestamp']));
      expect(pages).toBe(3);
      expect(ts).toHaveLength(20);
      expect(ts.every((t, i) => i === 0 || ts[i - 1]! - t === 3_600_000)).toBe(true);
    }
  });
});
