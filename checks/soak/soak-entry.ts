/**
 * One soak child: the real service (startService) with the soak config on a SteppedClock, either as
 * shipped ("real") or with the fix removed ("fix-removed": the original's naive unbounded OHLCV store,
 * no cleanup task, so no trim and no eviction). It drives the fixed workload (drive-workload.ts),
 * reports memory and ccxt's client state to the soak runner over IPC, then says it is done.
 */
import { createNaiveOhlcvStore } from '../../app/caches/testing/naive-ohlcv-store.ts';
import { createLogger } from '../../app/log/create-logger.ts';
import { createDefaultSource } from '../../app/service/market-source-factory.ts';
import { startService } from '../../app/service/start-service.ts';
import { until } from '../../app/testing/until.ts';
import { driveWorkload } from './drive-workload.ts';
import { countRestInFlight, type CountedSource } from './rest-in-flight.ts';
import { SOAK_SERVICE_CONFIG, SOAK_WORKLOAD, warmupSimHoursFor } from './soak-config.ts';
import { SOAK_BUILD_ENV, SOAK_HEAP_DIR_ENV, SOAK_SIM_HOURS_ENV, type SoakMessage } from './soak-protocol.ts';
import { writeSoakSnapshot } from './soak-snapshot.ts';
import { SteppedClock } from './stepped-clock.ts';

const send = (message: SoakMessage) => process.send?.(message);
const build = process.env[SOAK_BUILD_ENV];
const simHours = Number(process.env[SOAK_SIM_HOURS_ENV] ?? SOAK_WORKLOAD.simHours);
const heapDir = process.env[SOAK_HEAP_DIR_ENV];

if (build !== 'real' && build !== 'fix-removed') {
  send({ type: 'error', reason: `${SOAK_BUILD_ENV} must be 'real' or 'fix-removed', got '${build}'` });
  process.exit(2);
}
// Without an IPC channel there is nobody to read the samples; refuse rather than run unseen.
if (!process.send) {
  process.stderr.write('soak-entry: run it through checks/soak/run-soak.ts (needs an IPC channel)\n');
  process.exit(2);
}
process.on('disconnect', () => process.exit(0));

const config = SOAK_SERVICE_CONFIG;
// A fixed epoch: both builds see the same simulated market, minute for minute.
const clock = new SteppedClock({ speed: config.sim.speed, startMs: Date.UTC(2026, 0, 5) });
let counted: CountedSource | undefined;
try {
  const service = await startService({
    config,
    clock,
    log: createLogger({ level: config.log.level, format: 'json', destination: process.stderr }),
    createSource: (ctx) => (counted = countRestInFlight(createDefaultSource(ctx))).source,
    ...(build === 'fix-removed' ? { createOhlcvStore: createNaiveOhlcvStore, cleanup: false } : {}),
  });
  const source = counted!;
  const emulator = service.emulator!;
  // The first passes (every timeframe's full history of the first universe) run before time moves; the
  // runner's boot timeout is the real bound, this one only keeps the loop finite.
  await until('the first refresh passes', () => service.manager.ready, 600_000);
  send({ type: 'ready', port: service.port });
  const MB = 1024 * 1024;
  // A full gc before each sample measures what is retained, not how much garbage waits for collection;
  // both builds pay it alike. The entry always runs with --expose-gc (see soak-child.ts).
  const gc = (globalThis as { gc?: () => void }).gc;
  // The pair brackets the judged part of the run, so what grew between them is what the slope measures.
  const snapshot = (at: 'before' | 'after') => {
    if (heapDir !== undefined) send(writeSoakSnapshot(heapDir, build, at));
  };
  const warmupSimH = warmupSimHoursFor(simHours);
  let judging = false;
  const summary = await driveWorkload({
    clock,
    workload: { ...SOAK_WORKLOAD, simHours },
    stream: { pushed: () => emulator.stats().ws.pushed, flow: (on) => emulator.setWsRate(on ? config.sim.msgRate : 0) },
    restInFlight: source.inFlight,
    sample: ({ simH, messages }) => {
      gc?.();
      const m = process.memoryUsage();
      const ccxt = source.source.clientState();
      send({
        type: 'sample',
        simH,
        messages,
        rssMb: m.rss / MB,
        heapMb: m.heapUsed / MB,
        retainedMb: (m.heapUsed + m.arrayBuffers) / MB,
        tracked: service.manager.trackedSymbols().length,
        ccxtSymbols: Object.keys(ccxt.bySymbol).length,
        ccxtEntries: ccxt.total,
      });
      if (!judging && simH >= warmupSimH) {
        judging = true;
        snapshot('before');
      }
    },
  });
  gc?.();
  snapshot('after');
  send({ type: 'done', ...summary });
} catch (error) {
  send({ type: 'error', reason: `soak child failed: ${(error as Error).message}` });
  process.exit(1);
}
