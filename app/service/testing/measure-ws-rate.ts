/**
 * Sustained WebSocket rate of the service (real ccxt pro parsing, manager, cleanup, HTTP) with memory
 * sampled over the run. Prints one JSON line; `--help` says what each figure means.
 */
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { writeFile } from 'node:fs/promises';
import { Session } from 'node:inspector/promises';
import { loadavg } from 'node:os';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { createInterface } from 'node:readline';
import { parseArgs } from 'node:util';
import { createCcxtSource } from '../../exchange/ccxt-source.ts';
import { SimClock } from '../../sim/sim-clock.ts';
import { configSchema } from '../../config/config-schema.ts';
import { createLogger } from '../../log/create-logger.ts';
import { startService } from '../start-service.ts';

const HELP = `Usage: node --expose-gc --import tsx app/service/testing/measure-ws-rate.ts [options]

  --rate N           WS messages per second the emulator offers (default 15000)
  --seconds N        measured seconds at that rate (default 60); the first third is warm-up
  --idle-seconds N   seconds at rate 0 first, for the idle baseline (default 10; 0 skips it)
  --speed N          simulated seconds per real second (default 60: 60 s is one simulated hour)
  --symbols N        symbols the emulator lists and the service watches (default 20)
  --no-split         run the emulator in this process, as npm start does (no idle baseline then)
  --cpu-prof FILE    write a V8 CPU profile of the steady window (after warm-up) to FILE
  --help             this text

The emulator runs in a child process by default, so its market generation is not charged to the service.

Figures (JSON):
  achievedRate             messages/s the service handled in the steady window
  cpuUsPerMessage          service CPU (user+system, gc threads included) per message, gross
  idleCpuMsPerSecond       service CPU per second at rate 0: timers, REST refreshes, cleanup, HTTP
  marginalCpuUsPerMessage  (CPU/s in the steady window - idle CPU/s) / (messages/s): the cost of one
                           more message. The fixed per-second work is taken out, so this, unlike the
                           gross figure, does not fall as the offered rate rises.
  ratePerCore              1e6 / marginalCpuUsPerMessage: messages/s one dedicated core would parse
  eldP99Ms                 event-loop delay p99 over the whole run, ms
`;

const { values } = parseArgs({
  options: {
    rate: { type: 'string', default: '15000' },
    seconds: { type: 'string', default: '60' },
    'idle-seconds': { type: 'string', default: '10' },
    speed: { type: 'string', default: '60' },
    symbols: { type: 'string', default: '20' },
    split: { type: 'boolean', default: true },
    'cpu-prof': { type: 'string' },
    help: { type: 'boolean', default: false },
  },
  allowNegative: true,
});
if (values.help) {
  process.stdout.write(HELP);
  process.exit(0);
}
const number = (name: keyof typeof values, min: number): number => {
  const n = Number(values[name]);
  if (!Number.isFinite(n) || n < min) {
    process.stderr.write(`measure-ws-rate: --${name} must be a number >= ${min}, got ${String(values[name])} (see --help)\n`);
    process.exit(2);
  }
  return n;
};
const rate = number('rate', 1);
const seconds = number('seconds', 3);
const speed = number('speed', 1);
const symbolCount = number('symbols', 1);
const idleSeconds = values.split ? number('idle-seconds', 0) : 0;

const config = configSchema.parse({
  exchange: values.split ? 'bybit' : 'sim',
  topN: symbolCount,
  http: { port: 0 },
  log: { level: 'warn' },
  sim: { symbols: symbolCount, msgRate: rate, speed },
});
const initialRate = idleSeconds > 0 ? 0 : rate;
const child = values.split
  ? spawn(process.execPath, ['--import', 'tsx', new URL('./emulator-child.ts', import.meta.url).pathname, '--rate', String(initialRate), '--speed', String(speed), '--symbols', String(symbolCount)], {
      stdio: ['pipe', 'pipe', 'inherit'],
    })
  : undefined;
const remote = child
  ? ((await once(createInterface({ input: child.stdout }), 'line')) as [string]).map((l) => JSON.parse(l) as { url: string; wsUrl: string; simNow: number })[0]
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
const eld = monitorEventLoopDelay({ resolution: 10 });
eld.enable();

const mb = (b: number) => Math.round((b / 2 ** 20) * 10) / 10;
const round1 = (x: number) => Math.round(x * 10) / 10;
const totalBudgetS = idleSeconds + 2 + seconds * 4 + 60;
const deadline = setTimeout(() => {
  console.error(`no result within ${totalBudgetS} s; the service could not keep up`);
  child?.kill('SIGTERM');
  process.exit(1);
}, totalBudgetS * 1000);
deadline.unref();
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const cpuMsNow = () => {
  const c = process.cpuUsage();
  return (c.user + c.system) / 1000;
};
const wsCount = async () => ((await (await fetch(`${service.url}/status`)).json()) as { source: { wsMessages: number } }).source.wsMessages;

// Idle baseline: the service subscribed and refreshing, with no pushes, once ready (its first REST
// backfill done) and 2 s more.
let idleCpuMsPerSecond: number | null = null;
if (idleSeconds > 0 && child) {
  while ((await fetch(`${service.url}/readyz`)).status !== 200) await sleep(200);
  await sleep(2000);
  const [c0, t0] = [cpuMsNow(), performance.now()];
  await sleep(idleSeconds * 1000);
  idleCpuMsPerSecond = (cpuMsNow() - c0) / ((performance.now() - t0) / 1000);
  child.stdin.write(`rate ${rate}\n`);
}

const samples: Array<{ t: number; ws: number; rssMb: number; heapMb: number; candles: number; cpuMs: number }> = [];
const warmIndex = Math.floor(seconds / 3);
const profiler = values['cpu-prof'] ? new Session() : undefined;
const started = performance.now();
for (let i = 0; i <= seconds; i++) {
  const m = process.memoryUsage();
  samples.push({ t: (performance.now() - started) / 1000, ws: await wsCount(), rssMb: mb(m.rss), heapMb: mb(m.heapUsed), candles: service.manager.candlesRetained(), cpuMs: cpuMsNow() });
  if (i === warmIndex && profiler) {
    profiler.connect();
    await profiler.post('Profiler.enable');
    await profiler.post('Profiler.start');
  }
  await sleep(1000);
}
if (profiler) {
  const { profile } = await profiler.post('Profiler.stop');
  await writeFile(values['cpu-prof']!, JSON.stringify(profile));
  profiler.disconnect();
}
const elapsed = (performance.now() - started) / 1000;
const warm = samples[warmIndex]!;
const last = samples.at(-1)!;
const window = Math.max(1, last.t - warm.t);
const steadyRate = (last.ws - warm.ws) / window;
const cpuMsPerSecond = (last.cpuMs - warm.cpuMs) / window;
const cpuUsPerMessage = (1000 * cpuMsPerSecond) / Math.max(1, steadyRate);
const marginal = idleCpuMsPerSecond === null ? null : (1000 * Math.max(0, cpuMsPerSecond - idleCpuMsPerSecond)) / Math.max(1, steadyRate);
console.log(
  JSON.stringify({
    targetRate: rate,
    achievedRate: Math.round(steadyRate),
    cpuUsPerMessage: round1(cpuUsPerMessage),
    idleCpuMsPerSecond: idleCpuMsPerSecond === null ? null : round1(idleCpuMsPerSecond),
    marginalCpuUsPerMessage: marginal === null ? null : round1(marginal),
    ratePerCore: marginal ? Math.round(1e6 / marginal) : null,
    loadAverage: loadavg()[0],
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
