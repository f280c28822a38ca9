import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { configSchema } from '../config/config-schema.ts';
import { createCcxtSource } from '../exchange/ccxt-source.ts';
import type { MarketSource } from '../exchange/market-source.ts';
import { startEmulator, type EmulatorHandle } from '../sim/emulator.ts';
import { MarketDataManager } from './market-data-manager.ts';

let emu: EmulatorHandle;
let source: MarketSource;

beforeAll(async () => {
  emu = await startEmulator({ seed: 11, symbols: 30, speed: 60 });
  source = createCcxtSource({ restBaseUrl: emu.url, wsUrl: emu.wsUrl, clock: emu.clock, timeframes: [] });
});
afterAll(async () => {
  await source.close();
  await emu.stop();
});

describe('a ranked topN universe through real ccxt against the emulator', () => {
  it('takes the USDT perps with the highest 24h turnover, not the first listed, and no USDC perp', async () => {
    const listed = emu.market.listed(emu.clock.now());
    const byTurnover = listed.filter((s) => s.quote === 'USDT').sort((a, b) => b.turnover - a.turnover);
    const expected = byTurnover.slice(0, 5).map((s) => `${s.base}/USDT:USDT`);
    // The emulator's list is unranked, and a USDC perp out-trades most USDT ones: both would show.
    expect(listed.slice(0, 5).map((s) => `${s.base}/${s.quote}:${s.quote}`)).not.toEqual(expected);
    expect(listed.find((s) => s.quote === 'USDC')!.turnover).toBeGreaterThan(byTurnover[4]!.turnover);

    const config = configSchema.parse({ topN: 5, timeframes: ['1m'] });
    const manager = new MarketDataManager({ source, config, clock: emu.clock, memory: { rssMb: () => 0, gc: undefined } });
    try {
      await manager.start();
      expect([...manager.trackedSymbols()]).toEqual(expected);
    } finally {
      await manager.stop();
    }
  });
});
