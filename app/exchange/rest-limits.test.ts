import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startEmulator, type EmulatorHandle } from '../sim/emulator.ts';
import { createCcxtSource } from './ccxt-source.ts';
import type { MarketSource } from './market-source.ts';
import { until } from '../testing/until.ts';

const BTC = 'BTC/USDT:USDT';
const ETH = 'ETH/USDT:USDT';
let emu: EmulatorHandle;

function limitedSource(lines: string[]): MarketSource {
  return createCcxtSource({
    restBaseUrl: emu.url,
    wsUrl: emu.wsUrl,
    clock: emu.clock,
    random: () => 0.5,
    retry: { attempts: 4, baseMs: 200, maxMs: 2_000 },
    restPause: { banMs: 120_000, probeMs: 10_000, maxProbeMs: 40_000, maxResetWaitMs: 60_000, resetFallbackMs: 5_000 },
    log: { warn: (m) => lines.push(`warn ${m}`), info: (m) => lines.push(`info ${m}`) },
  });
}

beforeAll(async () => {
  // 60x: a simulated minute per real second, so a 2-minute ban takes 2 s.
  emu = await startEmulator({ seed: 5, symbols: 10, speed: 60, instrumentsPageMax: 4 });
});
afterAll(async () => {
  await emu.stop();
});

describe("Bybit's rate limits through real ccxt", () => {
  it('10006: waits until X-Bapi-Limit-Reset-Timestamp, then succeeds with one more request', async () => {
    const lines: string[] = [];
    const source = limitedSource(lines);
    try {
      await source.loadSymbols();
      emu.setFaults({ rateLimit: { next: 1, resetMs: 30_000 } });
      const requests = emu.stats().restRequests;
      const t0 = emu.clock.now();
      const ticker = await source.fetchTicker(BTC);
      expect(ticker.last).toBeGreaterThan(0);
      expect(emu.clock.now() - t0).toBeGreaterThanOrEqual(30_000);
      expect(emu.stats().restRequests - requests).toBe(2);
      expect(source.stats().restPauses).toEqual({ ipBan: 0, rateLimit: 1, http429: 0 });
      expect(source.stats().restPause).toBeNull();
      expect(lines.filter((l) => l.startsWith('warn REST paused: API rate limit'))).toHaveLength(1);
    } finally {
      emu.clearFaults();
      await source.close();
    }
  });

  it('an HTTP 429 pauses under its own reason, not as the API limit 10006, in the log and the counts', async () => {
    const lines: string[] = [];
    const source = limitedSource(lines);
    try {
      await source.loadSymbols();
      emu.setFaults({ httpRateLimit: { next: 1 } });
      const ticker = await source.fetchTicker(BTC);
      expect(ticker.last).toBeGreaterThan(0);
      expect(source.stats().restPauses).toEqual({ ipBan: 0, rateLimit: 0, http429: 1 });
      expect(lines.filter((l) => l.startsWith('warn REST paused: HTTP 429'))).toHaveLength(1);
      expect(lines.some((l) => l.includes('10006'))).toBe(false);
      expect(lines).toContain('info REST resumed after HTTP 429');
    } finally {
      emu.clearFaults();
      await source.close();
    }
  });

  it('10006 without the reset header waits the bounded fallback instead', async () => {
    const source = limitedSource([]);
    try {
      await source.loadSymbols();
      emu.setFaults({ rateLimit: { next: 1, resetHeader: false } });
      const t0 = emu.clock.now();
      const ticker = source.fetchTicker(BTC);
      await until('a REST pause', () => source.stats().restPause != null);
      const pause = source.stats().restPause!;
      expect(pause.until! - pause.since).toBe(5_000);
      await ticker;
      expect(emu.clock.now() - t0).toBeGreaterThanOrEqual(5_000);
    } finally {
      emu.clearFaults();
      await source.close();
    }
  });

  it('403: every REST call pauses, one log line, one probe after the ban, then all resume', async () => {
    const lines: string[] = [];
    const source = limitedSource(lines);
    try {
      await source.loadSymbols();
      emu.setFaults({ ipBan: { next: 1, durationMs: 120_000 } });
      const first = source.fetchTicker(BTC);
      await until('the IP-ban pause', () => source.stats().restPause?.reason === 'ipBan');
      const requestsAtBan = emu.stats().restRequests;
      const others = Promise.all([source.fetchOrderBook(ETH, 5), source.fetchTrades(BTC, 5), source.fetchOHLCV(ETH, '1m', 5), source.fetchOpenInterest(BTC)]);
      await new Promise((r) => setTimeout(r, 500));
      // Banned: nothing more was sent by any of the five waiting calls.
      expect(emu.stats().restRequests).toBe(requestsAtBan);
      expect(source.stats().restPause).toMatchObject({ reason: 'ipBan', probing: false });
      const [ticker, [book, trades, candles, oi]] = await Promise.all([first, others]);
      expect(ticker.last).toBeGreaterThan(0);
      expect(book.bids.length).toBe(5);
      expect(trades.length).toBe(5);
      expect(candles.length).toBe(5);
      expect(oi.openInterestAmount).toBeGreaterThan(0);
      expect(emu.stats().restFaults.ipBan).toBe(1);
      expect(lines.filter((l) => l.includes('REST paused'))).toEqual([expect.stringMatching(/^warn REST paused: IP ban \(HTTP 403\); every REST job waits until /)]);
      expect(lines.at(-1)).toBe('info REST resumed after IP ban');
      expect(source.stats().restPause).toBeNull();
    } finally {
      emu.clearFaults();
      emu.liftBan();
      await source.close();
    }
  });

  it('403 outlasting the expected ban: probes back off exponentially, one request each', async () => {
    const lines: string[] = [];
    const source = limitedSource(lines);
    try {
      await source.loadSymbols();
      const bansBefore = emu.stats().restFaults.ipBan;
      // Probes at +120 s and +130 s meet the ban; the one at +150 s (10 s, then 20 s later) does not.
      emu.setFaults({ ipBan: { next: 1, durationMs: 145_000 } });
      const t0 = emu.clock.now();
      const first = source.fetchTicker(BTC);
      await until('the IP-ban pause', () => source.stats().restPause?.reason === 'ipBan');
      await Promise.all([first, source.fetchTicker(ETH)]);
      expect(emu.stats().restFaults.ipBan - bansBefore).toBe(3);
      expect(emu.clock.now() - t0).toBeGreaterThanOrEqual(150_000);
      expect(lines.filter((l) => l.includes('still banned'))).toHaveLength(2);
      expect(lines.filter((l) => l.includes('REST paused'))).toHaveLength(1);
    } finally {
      emu.clearFaults();
      emu.liftBan();
      await source.close();
    }
  });

  it('10016 is retried and succeeds', async () => {
    const source = limitedSource([]);
    try {
      await source.loadSymbols();
      emu.setFaults({ systemError: { next: 2 } });
      const book = await source.fetchOrderBook(BTC, 3);
      expect(book.asks).toHaveLength(3);
      expect(source.stats().errorsByKind).toEqual({ ExchangeError: 2 });
      expect(emu.stats().restFaults.systemError).toBeGreaterThanOrEqual(2);
    } finally {
      emu.clearFaults();
      await source.close();
    }
  });

  it('loads every market when instruments-info spans several pages (nextPageCursor)', async () => {
    const source = limitedSource([]);
    try {
      const symbols = await source.loadSymbols();
      const listed = emu.market.listed(emu.clock.now());
      expect(new Set(symbols)).toEqual(new Set(listed.map((s) => `${s.base}/${s.quote}:${s.quote}`)));
      expect(symbols).toHaveLength(listed.length);
    } finally {
      await source.close();
    }
  });
});

