/**
 * Sustained WebSocket rate of the service (real ccxt pro parsing, manager, cleanup, HTTP) with memory
 * sampled over the run. The emulator runs in a child process (--split, default) so that its market
 * generation is not charged to the service, or in-process (--no-split) as `npm start` runs it.
 * Prints one JSON line.
 * Run: node --expose-gc --import tsx app/service/testing/measure-ws-rate.ts --rate 15000 --seconds 60 --speed 60
 */
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { createInterface } from 'node:readline';
import { createCcxtSource } from '../../exchange/ccxt-source.ts';
import { SimClock } from '../../sim/sim-clock.ts';
import { parseArgs } from 'node:util';
import { configSchema } from '../../config/config-schema.ts';
import { createLogger } from '../../log/create-logger.ts';
import { startService } from '../start-service.ts';

const { values } = parseArgs({
  options: {
    rate: { type: 'string', default: '15000' },
    seconds: { type: 'string', default: '60' },
    speed: { type: 'string', default: '60' },
    symbols: { type: 'string', default: '20' },
    split: { type: 'boolean', default: true },
  },
  allowNegative: true,
});
const rate = Number(values.rate);
const seconds = Number(values.seconds);
const speed = Number(values.speed);
const symbolCount = Number(values.symbols);

const config = configSchema.parse({
  exchange: values.split ? 'bybit' : 'sim',
  topN: symbolCount,
  http: { port: 0 },
  log: { level: 'warn' },
  sim: { symbols: symbolCount, msgRate: rate, speed },
});
const child = values.split
  ? spawn(process.execPath, ['--import', 'tsx', new URL('./emulator-child.ts', import.meta.url).pathname, '--rate', String(rate), '--speed', String(speed), '--symbols', String(symbolCount)], {
      stdio: ['pipe', 'pipe', 'inherit'],
    })
  : undefined;
const remote = child
  ? ((await once(createInterface({ input: child.stdout! }), 'line')) as [string]).map((l) => JSON.parse(l) as { url: string; wsUrl: string; simNow: number })[0]
  : undefined;
const clock = remote ? new SimClock({ startMs: remote.simNow, speed }) : undefined;
const service = await startService({
  config,
  log: createLogger({ level: 'warn' }),
  ...(clock ? { clock } : {}),
  ...(remote && clock
    ? { createSource: () => createCcxtSource({ restBaseUrl: remote.url, wsUrl: remote.wsUrl, clock, timeframes: config.timeframes }) }
    : {}),
});
const source = () => service.manager;
const eld = monitorEventLoopDelay({ resolution: 10 });
eld.enable();

const mb = (b: number) => Math.round((b / 2 ** 20) * 10) / 10;
const deadline = setTimeout(() => {
  console.error(`no result within ${seconds * 4 + 60} s; the service could not keep up`);
  child?.kill('SIGTERM');
  process.exit(1);
}, (seconds * 4 + 60) * 1000);
deadline.unref();
const samples: Array<{ t: number; ws: number; rssMb: number; heapMb: number; candles: number; cpuMs: number }> = [];
const wsCount = async () => ((await (await fetch(`${service.url}/status`)).json()) as { source: { wsMessages: number } }).source.wsMessages;
const started = performance.now();
for (let i = 0; i <= seconds; i++) {
  const m = process.memoryUsage();
  const cpu = process.cpuUsage();
  samples.push({
    t: (performance.now() - started) / 1000,
    ws: await wsCount(),
    rssMb: mb(m.rss),
    heapMb: mb(m.heapUsed),
    candles: source().candlesRetained(),
    cpuMs: (cpu.user + cpu.system) / 1000,
  });
  await new Promise((r) => setTimeout(r, 1000));
}
const elapsed = (performance.now() - started) / 1000;
const warm = samples[Math.floor(samples.length / 3)]!;
const last = samples.at(-1)!;
const steadyRate = (last.ws - warm.ws) / Math.max(1, last.t - warm.t);
// On a shared machine the wall-clock rate depends on what else runs; CPU per message does not, and
// 1000 / (CPU ms per message) is the rate one dedicated core would sustain (includes gc threads).
const cpuMsPerMsg = (last.cpuMs - warm.cpuMs) / Math.max(1, last.ws - warm.ws);
console.log(
  JSON.stringify({
    targetRate: rate,
    achievedRate: Math.round(steadyRate),
    cpuUsPerMessage: Math.round(cpuMsPerMsg * 1000 * 10) / 10,
    ratePerDedicatedCore: Math.round(1000 / cpuMsPerMsg),
    loadAverage: (await import('node:os')).loadavg()[0],
    emulator: child ? 'child process' : 'in process',
    realSeconds: Math.round(elapsed),
    simulatedHours: Math.round(((elapsed * speed) / 3600) * 100) / 100,
    symbols: symbolCount,
    rssMb: { warm: warm.rssMb, end: last.rssMb, max: Math.max(...samples.map((s) => s.rssMb)) },
    heapMb: { warm: warm.heapMb, end: last.heapMb, max: Math.max(...samples.map((s) => s.heapMb)) },
    candles: { warm: warm.candles, end: last.candles },
    eldP99Ms: Math.round(eld.percentile(99) / 1e4) / 100,
    cleanups: service.manager.lastCleanup,
    errors: service.manager.errors,
  }),
);
await service.stop();
child?.kill('SIGTERM');
process.exit(0);
