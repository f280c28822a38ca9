// @module-tag e2e
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { configSchema } from '../config/config-schema.ts';
import { createCcxtSource } from '../exchange/ccxt-source.ts';
import { createLogger } from '../log/create-logger.ts';
import { startEmulator, type EmulatorHandle } from '../sim/emulator.ts';
import { until } from '../testing/until.ts';
import { startService, type ServiceHandle } from './start-service.ts';

const TOP_N = 10;
let emu: EmulatorHandle;
const services: ServiceHandle[] = [];

beforeAll(async () => {
  emu = await startEmulator({ seed: 7, symbols: 40, speed: 60 });
});
afterAll(async () => {
  await Promise.all(services.map((s) => s.stop()));
  await emu.stop();
});

const startShard = (index: number) =>
  startService({
    config: configSchema.parse({ exchange: 'bybit', topN: TOP_N, timeframes: ['1m'], http: { port: 0 }, shard: { index, count: 2 } }),
    log: createLogger({ level: 'silent' }),
    clock: emu.clock,
    createSource: (ctx) => createCcxtSource({ restBaseUrl: emu.url, wsUrl: emu.wsUrl, clock: emu.clock, timeframes: ctx.config.timeframes }),
  });

describe('two shards of one topN universe against the emulator', () => {
  it('hold together exactly the global topN, no symbol twice, and say which shard they are', { timeout: 90_000 }, async () => {
    services.push(...(await Promise.all([startShard(0), startShard(1)])));
    // A bound, not a timing: about 6 s on an idle machine, far longer under the shared load.
    await until('both shards ready', () => services.every((s) => s.manager.ready), 60_000);

    const expected = emu.market
      .listed(emu.clock.now())
      .filter((s) => s.quote === 'USDT')
      .sort((a, b) => b.turnover - a.turnover)
      .slice(0, TOP_N)
      .map((s) => `${s.base}/USDT:USDT`);
    const statuses = await Promise.all(services.map(async (s) => (await (await fetch(`${s.url}/status`)).json()) as { shard: unknown; trackedSymbols: string[] }));
    const [a, b] = statuses.map((s) => s.trackedSymbols);
    expect(a!.length).toBeGreaterThan(0);
    expect(b!.length).toBeGreaterThan(0);
    expect(a!.filter((s) => b!.includes(s))).toEqual([]);
    expect(new Set([...a!, ...b!])).toEqual(new Set(expected));
    expect(statuses.map((s) => s.shard)).toEqual([
      { index: 0, count: 2 },
      { index: 1, count: 2 },
    ]);
    const metrics = await Promise.all(services.map(async (s) => (await fetch(`${s.url}/metrics`)).text()));
    expect(metrics[0]).toMatch(/^leakproof_shard_info\{index="0",count="2"\} 1$/m);
    expect(metrics[1]).toMatch(/^leakproof_shard_info\{index="1",count="2"\} 1$/m);
    // Each shard subscribes only to its own symbols: one kline, ticker, trades, book and liquidation topic each.
    await until('every topic subscribed', () => emu.stats().ws.subscriptions >= TOP_N * 5);
    expect(emu.stats().ws.subscriptions).toBe(TOP_N * 5);
  });
});
