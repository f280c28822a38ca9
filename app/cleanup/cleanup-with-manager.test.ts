import { describe, expect, it } from 'vitest';
import { configSchema } from '../config/config-schema.ts';
import { MarketDataManager } from '../manager/market-data-manager.ts';
import { captureLog } from '../testing/capture-log.ts';
import { FakeClock } from '../testing/fake-clock.ts';
import { FakeMarketSource, minuteCandles } from '../testing/fake-market-source.ts';
import { PERIODIC_LINE_RE, STARTUP_LINE_RE } from './cleanup-lines.ts';
import { periodicMemoryCleanup } from './periodic-memory-cleanup.ts';

describe('periodicMemoryCleanup with a real MarketDataManager', () => {
  it('runs the second and third cleanup while the monitoring flag is still false', async () => {
    const clock = new FakeClock(Date.UTC(2025, 0, 1, 12));
    const config = configSchema.parse({ symbols: ['A/USDT:USDT'] });
    const manager = new MarketDataManager({ source: new FakeMarketSource([], () => clock.now()), config, clock });
    manager.setTrackedSymbols(['A/USDT:USDT']);
    manager.storeOhlcv('A/USDT:USDT', '1m', minuteCandles(1440, clock.now()));
    expect(manager.monitoring).toBe(false);

    const log = captureLog();
    const controller = new AbortController();
    const task = periodicMemoryCleanup({ signal: controller.signal, clock, log, cleanup: () => manager.runMemoryCleanupSync() });
    await clock.whenSleeping(1);
    // A limit shrinks between runs, so each run has visible work to prove it really ran.
    manager.reconfigure({ ...config, limits: { ...config.limits, ohlcv: { '1m': 1000 } } });
    await clock.advance(600_000);
    await clock.whenSleeping(1);
    manager.reconfigure({ ...config, limits: { ...config.limits, ohlcv: { '1m': 500 } } });
    await clock.advance(600_000);
    await clock.whenSleeping(1);
    controller.abort();

    expect(await task).toEqual({ runs: 3, failures: 0 });
    expect(manager.monitoring).toBe(false);
    expect(log.lines.filter((l) => STARTUP_LINE_RE.test(l))).toHaveLength(1);
    const periodic = log.lines.filter((l) => PERIODIC_LINE_RE.test(l));
    expect(periodic).toHaveLength(2);
    expect(periodic.every((l) => l.includes('OHLCV trimmed: 1,'))).toBe(true);
    expect(manager.ohlcv.get('A/USDT:USDT|1m')?.size).toBe(500);
  });
});
