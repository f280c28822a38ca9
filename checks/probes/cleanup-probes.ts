import type { AppUnderProbe, CleanupResult } from './load-app.ts';
import type { ProbeBody } from './probe-types.ts';

export const PROBE_NOW = Date.UTC(2025, 0, 1, 12);
const INTERVAL_S = 600;
const tick = () => new Promise<void>((r) => setImmediate(r));

const stubResult = (): CleanupResult => ({
  ohlcvTrimmed: 0,
  oiTrimmed: 0,
  evicted: 0,
  gcRan: false,
  memoryBeforeMb: 100,
  memoryAfterMb: 100,
  durationMs: 0,
  gcMs: 0,
});

/** The real cleanup task on a fake clock; counts cleanups and records how the task settled. */
function startTask(app: AppUnderProbe, cleanup: () => CleanupResult = stubResult) {
  const clock = new app.FakeClock(PROBE_NOW);
  const controller = new AbortController();
  const lines: string[] = [];
  let runs = 0;
  let settled: 'pending' | 'resolved' | 'rejected' = 'pending';
  const task = app.periodicMemoryCleanup({
    intervalSeconds: INTERVAL_S,
    signal: controller.signal,
    clock,
    log: { info: (m) => void lines.push(m), error: (_o, m) => void lines.push(m) },
    cleanup: () => {
      runs++;
      return cleanup();
    },
  });
  task.then(
    () => void (settled = 'resolved'),
    () => void (settled = 'rejected'),
  );
  const armed = async () => {
    try {
      await clock.whenSleeping(1, 500);
      return true;
    } catch {
      return false;
    }
  };
  const stop = async () => {
    controller.abort();
    await Promise.race([task.catch(() => undefined), new Promise((r) => setTimeout(r, 500))]);
  };
  return { clock, controller, lines, runs: () => runs, settled: () => settled, armed, stop };
}

export const startupCleanupImmediate =
  (app: AppUnderProbe): ProbeBody =>
  async () => {
    const t = startTask(app);
    const armed = await t.armed();
    const evidence = { runsBeforeAnyInterval: t.runs(), clockAdvancedMs: t.clock.now() - PROBE_NOW, sleepArmed: armed, lines: t.lines.slice(0, 4) };
    await t.stop();
    const ok = evidence.runsBeforeAnyInterval === 1 && evidence.clockAdvancedMs === 0;
    return { ok, reason: ok ? 'the startup cleanup ran at t=0, before any interval' : `${evidence.runsBeforeAnyInterval} cleanups at t=0, expected 1`, evidence };
  };

export const periodicCleanupsContinue =
  (app: AppUnderProbe): ProbeBody =>
  async () => {
    const clock0 = new app.FakeClock(PROBE_NOW);
    const manager = new app.MarketDataManager({
      source: new app.FakeMarketSource([], () => clock0.now()),
      config: app.configSchema.parse({}),
      clock: clock0,
      memory: { rssMb: () => 100, gc: undefined },
    });
    const t = startTask(app, () => manager.runMemoryCleanupSync());
    const counts: Record<string, number> = {};
    await t.armed();
    await t.clock.advance(INTERVAL_S * 1000 - 1);
    counts.justBeforeFirstInterval = t.runs();
    await t.clock.advance(1);
    counts.atFirstInterval = t.runs();
    await t.armed();
    await t.clock.advance(INTERVAL_S * 1000);
    counts.atSecondInterval = t.runs();
    const evidence = { monitoring: manager.monitoring, intervalS: INTERVAL_S, ...counts, settled: t.settled() };
    await t.stop();
    const ok = !manager.monitoring && counts.justBeforeFirstInterval === 1 && counts.atFirstInterval === 2 && counts.atSecondInterval === 3;
    return {
      ok,
      reason: ok
        ? 'second and third cleanups ran at each interval with the manager not monitoring'
        : `cleanups 1/2/3 expected at 0/${INTERVAL_S}/${2 * INTERVAL_S}s, saw ${counts.justBeforeFirstInterval}/${counts.atFirstInterval}/${counts.atSecondInterval} (task ${t.settled()})`,
      evidence,
    };
  };

export const shutdownWithinOneTick =
  (app: AppUnderProbe): ProbeBody =>
  async () => {
    const t = startTask(app);
    await t.armed();
    t.controller.abort();
    await tick();
    const settledAfterOneTick = t.settled();
    await t.clock.advance(INTERVAL_S * 3000);
    await tick();
    const evidence = { settledAfterOneTick, runsAfterShutdown: t.runs(), settled: t.settled() };
    await t.stop();
    const ok = settledAfterOneTick === 'resolved' && evidence.runsAfterShutdown === 1;
    return {
      ok,
      reason: ok ? 'the task resolved within one tick of the abort and ran no more cleanups' : `after abort + one tick the task was ${settledAfterOneTick}, ${evidence.runsAfterShutdown} cleanups in all`,
      evidence,
    };
  };
