/**
 * One service process for a capacity probe: the whole service (real ccxt pro, manager, cleanup, HTTP)
 * against an emulator in another process, on that emulator's simulated clock, owning shard
 * `--shard-index` of `--shard-count`. Prints `{"ready":true}` once its initial data is loaded.
 */
import { parseArgs } from 'node:util';
import { configSchema } from '../../config/config-schema.ts';
import { createCcxtSource } from '../../exchange/ccxt-source.ts';
import type { MarketSource } from '../../exchange/market-source.ts';
import { createLogger } from '../../log/create-logger.ts';
import { startService } from '../../service/start-service.ts';
import { SimClock } from '../../sim/sim-clock.ts';
import { runProbeSampler } from './probe-sampler.ts';

const { values } = parseArgs({
  options: {
    url: { type: 'string' },
    'ws-url': { type: 'string' },
    'sim-now': { type: 'string' },
    speed: { type: 'string' },
    symbols: { type: 'string' },
    'shard-index': { type: 'string', default: '0' },
    'shard-count': { type: 'string', default: '1' },
  },
});
const speed = Number(values.speed);
const clock = new SimClock({ startMs: Number(values['sim-now']), speed });
// REST refreshes at their production cadence in real time: at speed 60 the default intervals (in
// simulated seconds) would charge the WS figure sixty times the REST work, and starve the first pass.
const defaults = configSchema.parse({}).refresh;
const realTime = (s: number) => Math.min(604_800, s * speed);
const refresh = {
  ...Object.fromEntries(Object.entries(defaults).map(([k, v]) => [k, typeof v === 'number' && k !== 'concurrency' ? realTime(v) : v])),
  ohlcvSeconds: Object.fromEntries(Object.entries(defaults.ohlcvSeconds).map(([tf, s]) => [tf, realTime(s)])),
};
const config = configSchema.parse({
  exchange: 'bybit',
  refresh,
  topN: Number(values.symbols),
  http: { port: 0 },
  log: { level: 'warn' },
  shard: { index: Number(values['shard-index']), count: Number(values['shard-count']) },
});
let source: MarketSource | undefined;
const service = await startService({
  config,
  log: createLogger({ level: 'warn' }),
  clock,
  createSource: () => (source = createCcxtSource({ restBaseUrl: values.url, wsUrl: values['ws-url'], clock, timeframes: config.timeframes })),
});
const deadline = performance.now() + 120_000;
while (!service.manager.ready && performance.now() < deadline) await new Promise((r) => setTimeout(r, 100));
if (!service.manager.ready) {
  process.stderr.write('service-child: not ready within 120 s\n');
  process.exit(1);
}
runProbeSampler({
  messages: () => source?.stats().wsMessages ?? 0,
  label: () => `shard ${config.shard.index}/${config.shard.count}: ${service.manager.trackedSymbols().length} symbols`,
  onEnd: () => service.stop(),
});
