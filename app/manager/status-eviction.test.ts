// @module-tag e2e
import { afterEach, describe, expect, it } from 'vitest';
import { configSchema } from '../config/config-schema.ts';
import { createCcxtSource } from '../exchange/ccxt-source.ts';
import type { LeavingStatus } from '../sim/sim-market.ts';
import { startEmulator } from '../sim/emulator.ts';
import { closers } from '../testing/closers.ts';
import { until } from '../testing/until.ts';
import { MarketDataManager } from './market-data-manager.ts';

const MINUTE = 60_000;
const STATUS_SECONDS = 60;
/** Slack for the check's own REST call and the test's polling, in simulated ms at 60×. */
const SLACK_MS = 15_000;

const started = closers();
afterEach(() => started.closeAll());

describe('a symbol that stops trading, through real ccxt against the emulator', () => {
  it.each(['Settling', 'Delivering', 'Closed'] as LeavingStatus[])(
    'Trading → %s: evicted within one status-check interval, its REST jobs and ccxt state gone, long before the re-rank',
    { timeout: 60_000 },
    async (status) => {
      // The first symbol stops trading 5 simulated minutes in and is gone at 10; its streams go on until 12.
      const emu = started.add(await startEmulator({ seed: 5, symbols: 6, speed: 60, rotation: { size: 3, everyMs: 10 * MINUTE, delisting: { status, statusLeadMs: 5 * MINUTE, lingerMs: 2 * MINUTE } } }), (e) => e.stop());
      const source = started.add(createCcxtSource({ restBaseUrl: emu.url, wsUrl: emu.wsUrl, clock: emu.clock, random: () => 0.5, timeframes: ['1m'] }), (s) => s.close());
      // Re-ranked hourly and cleaned every 10 minutes: neither can be what notices it.
      const config = configSchema.parse({ topN: 3, timeframes: ['1m'], refresh: { universeSeconds: 3600, statusSeconds: STATUS_SECONDS, tickerSeconds: 10, tradesSeconds: 10 } });
      const m = started.add(new MarketDataManager({ source, config, clock: emu.clock, memory: { rssMb: () => 0, gc: undefined } }), (x) => x.stop());
      const leaving = emu.market.all[0]!;
      const symbol = `${leaving.base}/USDT:USDT`;
      const changeAt = emu.clock.now() + 5 * MINUTE;
      await m.start();
      expect(m.trackedSymbols()).toContain(symbol);
      await until('the ticker cached', () => m.tickers.has(symbol), 20_000);

      await until('the eviction', () => !m.isTracked(symbol), 30_000);
      const evictedAt = emu.clock.now();
      expect(emu.market.status(leaving, evictedAt)).toBe(status);
      const afterChangeMs = evictedAt - changeAt;
      expect(afterChangeMs).toBeGreaterThanOrEqual(0);
      expect(afterChangeMs).toBeLessThanOrEqual(STATUS_SECONDS * 1000 + SLACK_MS);
      expect(m.tickers.has(symbol)).toBe(false);
      expect(m.errors[`delisted:Absent`]).toBe(1);
      await m.whenUnwatched();
      expect(source.clientCacheEntries(symbol)).toBe(0);

      // Its REST jobs stopped: two more ticker intervals pass without a request for it.
      const before = emu.stats().restRequests;
      const t0 = emu.clock.now();
      await until('two ticker passes', () => emu.clock.now() - t0 > 25_000 && emu.stats().restRequests > before + 4, 20_000);
      const stats = emu.stats();
      const since = stats.recentRequests.slice(-(stats.restRequests - before));
      expect(since.length).toBeGreaterThan(4);
      expect(since.filter((r) => r.includes(`symbol=${leaving.id}`))).toEqual([]);
      console.log(`Trading → ${status}: evicted ${(afterChangeMs / 1000).toFixed(1)} s (simulated) after the status change; status check every ${STATUS_SECONDS} s`);
    },
  );
});
