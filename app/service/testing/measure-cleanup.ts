/**
 * Measures runMemoryCleanupSync at 1,200 keys (200 symbols × 6 timeframes, full rings, plus every
 * other per-symbol cache), gc excluded, and the gc() call on its own. Prints one JSON line.
 * Run: node --expose-gc --import tsx app/service/testing/measure-cleanup.ts
 */
import { configSchema } from '../../config/config-schema.ts';
import { MarketDataManager } from '../../manager/market-data-manager.ts';
import { FakeClock } from '../../testing/fake-clock.ts';
import { FakeMarketSource, minuteCandles, oiPoints } from '../../testing/fake-market-source.ts';

const TIMEFRAMES = ['1m', '5m', '15m', '30m', '1h', '4h'];
const RUNS = 500;
const clock = new FakeClock(Date.UTC(2025, 0, 1));
const symbols = Array.from({ length: 200 }, (_, i) => `S${i}/USDT:USDT`);
const config = configSchema.parse({ symbols, timeframes: TIMEFRAMES });
const manager = new MarketDataManager({
  source: new FakeMarketSource(symbols, () => clock.now()),
  config,
  clock,
  memory: { rssMb: () => process.memoryUsage.rss() / 2 ** 20, gc: undefined },
});
manager.setTrackedSymbols(symbols);
for (const s of symbols) {
  for (const tf of TIMEFRAMES) {
    const step = { m: 60_000, h: 3_600_000 }[tf.slice(-1) as 'm' | 'h'] * Number.parseInt(tf, 10);
    const rows = minuteCandles(1500, clock.now()).map((c, i): typeof c => [clock.now() - (1500 - i) * step, c[1], c[2], c[3], c[4], c[5]]);
    manager.storeOhlcv(s, tf, rows);
  }
  manager.storeOpenInterestHistory(s, oiPoints(288, clock.now()));
  manager.storeTrades(s, Array.from({ length: 1000 }, (_, i) => ({ id: `${i}`, timestamp: clock.now() - 1000 + i, side: 'buy' as const, price: 1, amount: 1 })));
}

// Wall time includes preemption by other processes on a shared machine; CPU time of the thread does not.
const durations: number[] = [];
const cpu: number[] = [];
for (let i = 0; i < RUNS; i++) {
  const before = process.cpuUsage();
  durations.push(manager.runMemoryCleanupSync().durationMs);
  const used = process.cpuUsage(before);
  cpu.push((used.user + used.system) / 1000);
}
const pctOf = (xs: number[], p: number) => [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor((p / 100) * xs.length))]!;
const pct = (p: number) => pctOf(durations, p);
const gcTimes: number[] = [];
for (let i = 0; i < 5 && globalThis.gc; i++) {
  const t = performance.now();
  globalThis.gc();
  gcTimes.push(performance.now() - t);
}
console.log(
  JSON.stringify({
    keys: manager.ohlcv.size,
    candles: manager.candlesRetained(),
    runs: RUNS,
    cleanupMs: { p50: pct(50), p99: pct(99), max: pctOf(durations, 100) },
    cleanupCpuMs: { p50: pctOf(cpu, 50), p99: pctOf(cpu, 99) },
    loadAverage: (await import('node:os')).loadavg()[0],
    gcMs: gcTimes.sort((a, b) => a - b)[Math.floor(gcTimes.length / 2)] ?? null,
    rssMb: Math.round(process.memoryUsage.rss() / 2 ** 20),
  }),
);
