/**
 * One soak child: the real service (startService) with the soak config on a SteppedClock, either as
 * shipped ("real") or with the fix removed ("fix-removed": the original's naive unbounded OHLCV store,
 * no cleanup task, so no trim and no eviction). It drives the plan's phases (drive-phases.ts), reports
 * memory, the work done in each unit and ccxt's client state to the soak runner over IPC, then says it is done.
 */
import { setImmediate as nextTurn } from 'node:timers/promises';
import { createNaiveOhlcvStore } from '../../app/caches/testing/naive-ohlcv-store.ts';
import { createLogger } from '../../app/log/create-logger.ts';
import { createDefaultSource } from '../../app/service/market-source-factory.ts';
import { startService } from '../../app/service/start-service.ts';
import { until } from '../../app/testing/until.ts';
import { bracketBlocks } from './bracket-blocks.ts';
import { drivePhases, type WorkDone } from './drive-phases.ts';
import { countRestInFlight, type CountedSource } from './rest-in-flight.ts';
import { BURST_MSG_RATE, rotationFor, SOAK_PLAN, SoakPlanSchema, soakServiceConfig } from './soak-config.ts';
import { SOAK_BUILD_ENV, SOAK_HEAP_DIR_ENV, SOAK_PLAN_ENV, type SoakMessage } from './soak-protocol.ts';
import { retainedBytes } from './retained-bytes.ts';
import { cacheLineEnds, writeSoakSnapshot } from './soak-snapshot.ts';
import { SteppedClock } from './stepped-clock.ts';

const send = (message: SoakMessage) => process.send?.(message);
const build = process.env[SOAK_BUILD_ENV];
const heapDir = process.env[SOAK_HEAP_DIR_ENV];
const planText = process.env[SOAK_PLAN_ENV];
const plan = planText === undefined ? { success: true as const, data: SOAK_PLAN } : SoakPlanSchema.safeParse(JSON.parse(planText));

if (build !== 'real' && build !== 'fix-removed') {
  send({ type: 'error', reason: `${SOAK_BUILD_ENV} must be 'real' or 'fix-removed', got '${build}'` });
  process.exit(2);
}
if (!plan.success) {
  send({ type: 'error', reason: `${SOAK_PLAN_ENV} is not a soak plan: ${plan.error.issues[0]?.message ?? 'invalid'}` });
  process.exit(2);
}
// Without an IPC channel there is nobody to read the samples; refuse rather than run unseen.
if (!process.send) {
  process.stderr.write('soak-entry: run it through checks/soak/run-soak.ts (needs an IPC channel)\n');
  process.exit(2);
}
process.on('disconnect', () => process.exit(0));

const shipped = soakServiceConfig(plan.data);
// The fix-removed build is the original service: it had no trading-status check either, and that check
// evicts a delisted symbol's caches on its own, which would hide the missing cleanup. A week between checks
// is never reached in a soak.
const config = build === 'fix-removed' ? { ...shipped, refresh: { ...shipped.refresh, statusSeconds: 7 * 86_400 } } : shipped;
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
  if (heapDir !== undefined) cacheLineEnds();
  send({ type: 'ready', port: service.port });
  const MB = 1024 * 1024;
  // A full gc before each sample measures what is retained, not how much garbage waits for collection;
  // both builds pay it alike. The entry always runs with --expose-gc (see soak-child.ts).
  const gc = (globalThis as { gc?: () => void }).gc;
  const step = rotationFor(plan.data).step;
  const samples: WorkDone[] = [];
  const retained: number[] = [];
  const summary = await drivePhases({
    clock,
    plan: plan.data,
    stream: {
      pushed: () => emulator.stats().ws.pushed,
      received: () => source.source.stats().wsMessages,
      flow: (on) => emulator.setWsRate(on ? BURST_MSG_RATE : 0),
    },
    restInFlight: source.inFlight,
    listingTurns: () => emulator.market.turns(clock.now()) * step,
    sample: async (at) => {
      // Two collections a turn apart: a socket's or a reply's buffer is released by a finalizer after
      // the first, and would otherwise show as up to 1 MB of noise in one sample.
      gc?.();
      await nextTurn();
      gc?.();
      const m = process.memoryUsage();
      const ccxt = source.source.clientState();
      samples.push(at);
      retained.push(retainedBytes(m));
      send({
        type: 'sample',
        ...at,
        rssMb: m.rss / MB,
        heapMb: m.heapUsed / MB,
        retainedMb: retainedBytes(m) / MB,
        tracked: service.manager.trackedSymbols().length,
        ccxtSymbols: Object.keys(ccxt.bySymbol).length,
        ccxtEntries: ccxt.total,
      });
    },
    bracket: (phase) => (heapDir === undefined ? 0 : bracketBlocks(phase, samples, retained, plan.data)),
    snapshot: (phase, edge) => {
      if (heapDir !== undefined) send(writeSoakSnapshot(heapDir, build, phase, edge));
    },
  });
  const cpu = process.cpuUsage();
  send({ type: 'done', ...summary, cpuS: (cpu.user + cpu.system) / 1e6 });
} catch (error) {
  send({ type: 'error', reason: `soak child failed: ${(error as Error).message}` });
  process.exit(1);
}
