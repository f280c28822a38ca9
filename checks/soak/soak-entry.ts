/**
 * One soak child: the real service (startService) with the soak config, either as shipped ("real") or
 * with the fix removed ("fix-removed": the original's naive unbounded OHLCV store, no cleanup task, so
 * no trim and no eviction). Reports memory to the soak runner over IPC; the runner kills it.
 */
import { createNaiveOhlcvStore } from '../../app/caches/testing/naive-ohlcv-store.ts';
import { createLogger } from '../../app/log/create-logger.ts';
import { createDefaultSource } from '../../app/service/market-source-factory.ts';
import { startService } from '../../app/service/start-service.ts';
import { ROTATE_STEP, SOAK_SERVICE_CONFIG } from './soak-config.ts';
import { rotatingSource } from './rotating-source.ts';
import { SOAK_BUILD_ENV, SOAK_SAMPLE_MS_ENV, type SoakMessage } from './soak-protocol.ts';

const send = (message: SoakMessage) => process.send?.(message);
const build = process.env[SOAK_BUILD_ENV];
const sampleMs = Number(process.env[SOAK_SAMPLE_MS_ENV] ?? 500);

if (build !== 'real' && build !== 'fix-removed') {
  send({ type: 'error', reason: `${SOAK_BUILD_ENV} must be 'real' or 'fix-removed', got '${build}'` });
  process.exit(2);
}
// Without an IPC channel there is nobody to stop this process; refuse rather than run forever.
if (!process.send) {
  process.stderr.write('soak-entry: run it through checks/soak/run-soak.ts (needs an IPC channel)\n');
  process.exit(2);
}
process.on('disconnect', () => process.exit(0));

const config = SOAK_SERVICE_CONFIG;
try {
  const service = await startService({
    config,
    log: createLogger({ level: config.log.level, format: 'json', destination: process.stderr }),
    createSource: (ctx) => rotatingSource(createDefaultSource(ctx), ROTATE_STEP),
    ...(build === 'fix-removed' ? { createOhlcvStore: createNaiveOhlcvStore, cleanup: false } : {}),
  });
  send({ type: 'ready', port: service.port });
  const MB = 1024 * 1024;
  // A full gc before each sample measures what is retained, not how much garbage waits for collection;
  // both builds pay it alike. The entry always runs with --expose-gc (see soak-child.ts).
  const gc = (globalThis as { gc?: () => void }).gc;
  setInterval(() => {
    gc?.();
    const m = process.memoryUsage();
    send({ type: 'sample', rssMb: m.rss / MB, heapMb: m.heapUsed / MB, retainedMb: (m.heapUsed + m.arrayBuffers) / MB });
  }, sampleMs);
} catch (error) {
  send({ type: 'error', reason: `startService failed: ${(error as Error).message}` });
  process.exit(1);
}
