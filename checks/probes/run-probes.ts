import { periodicCleanupsContinue, shutdownWithinOneTick, startupCleanupImmediate } from './cleanup-probes.ts';
import { loadApp, type AppUnderProbe } from './load-app.ts';
import type { ProbeBody, ProbeResult, ProbeRun } from './probe-types.ts';
import { firstInsertKeepsLimit, mergeStaysBounded, oiHistoryStopsAt288 } from './store-probes.ts';
import { cleanupReportsWhatItDid } from './cleanup-result-probe.ts';
import { DEPS_PROBE_TIMEOUT_MS, runtimeImportsResolveFromDependencies } from './deps-probe.ts';
import { liquidationsStayBounded, tradesStayBounded } from './series-probes.ts';
import { SERVICE_PROBE_TIMEOUT_MS, serviceStartsCleanup } from './service-probe.ts';

const CLEANUP_TASK = 'app/cleanup/periodic-memory-cleanup.ts';
const MANAGER = 'app/manager/market-data-manager.ts';
const START_SERVICE = 'app/service/start-service.ts';
const ENTRY = 'app/main.ts';
const PACKAGE = 'package.json';

export interface ProbeDef {
  id: string;
  /** The specs whose fixes it exercises at run time. */
  specIds: readonly string[];
  /**
   * The files whose mutants it is run against (coverage, as Stryker uses it): files it executes, so a mutant
   * of another file cannot change its outcome. The child-process probes list only what no in-process probe
   * reaches, so the mutant run does not start a service per manager mutant.
   */
  covers: readonly string[];
  make: (app: AppUnderProbe) => ProbeBody;
  /** Default PROBE_TIMEOUT_MS; probes that start a child process need longer. */
  timeoutMs?: number;
  /** Waits on a process of its own: started alongside the in-process probes, which run one at a time. */
  spawns?: boolean;
}

export const PROBES: readonly ProbeDef[] = [
  { id: 'startup-cleanup-immediate', specIds: ['cleanup-immediate-then-periodic'], covers: [CLEANUP_TASK], make: startupCleanupImmediate },
  { id: 'periodic-cleanups-continue', specIds: ['cleanup-immediate-then-periodic'], covers: [CLEANUP_TASK, MANAGER], make: periodicCleanupsContinue },
  { id: 'shutdown-within-one-tick', specIds: ['cleanup-immediate-then-periodic'], covers: [CLEANUP_TASK], make: shutdownWithinOneTick },
  { id: 'first-insert-keeps-limit', specIds: ['ohlcv-initial-trim'], covers: [MANAGER], make: firstInsertKeepsLimit },
  { id: 'merge-stays-bounded', specIds: ['ohlcv-merge-trim'], covers: [MANAGER], make: mergeStaysBounded },
  { id: 'oi-history-stops-at-288', specIds: ['oi-history-bounded'], covers: [MANAGER], make: oiHistoryStopsAt288 },
  { id: 'trades-keep-newest-bound', specIds: ['trades-bounded'], covers: [MANAGER], make: tradesStayBounded },
  { id: 'liquidations-keep-newest-bound', specIds: ['liquidations-bounded'], covers: [MANAGER], make: liquidationsStayBounded },
  { id: 'cleanup-reports-what-it-did', specIds: ['cleanup-result-shape'], covers: [MANAGER], make: cleanupReportsWhatItDid },
  {
    id: 'service-entry-starts-cleanup',
    specIds: ['cleanup-started-after-manager', 'entry-starts-service'],
    covers: [ENTRY, START_SERVICE],
    make: serviceStartsCleanup,
    timeoutMs: SERVICE_PROBE_TIMEOUT_MS,
    spawns: true,
  },
  {
    id: 'runtime-imports-from-dependencies',
    specIds: ['runtime-dependencies'],
    covers: [PACKAGE],
    make: runtimeImportsResolveFromDependencies,
    timeoutMs: DEPS_PROBE_TIMEOUT_MS,
    spawns: true,
  },
];

/** Ids of the probes that execute any of `files`. */
export const probesCovering = (files: readonly string[]) => PROBES.filter((p) => p.covers.some((f) => files.includes(f))).map((p) => p.id);

const PROBE_TIMEOUT_MS = 5000;

async function runOne(id: string, body: ProbeBody, timeoutMs = PROBE_TIMEOUT_MS): Promise<ProbeResult> {
  const started = performance.now();
  let timer: NodeJS.Timeout | undefined;
  try {
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error(`timed out after ${timeoutMs} ms`)), timeoutMs);
    });
    const r = await Promise.race([body(), timeout]);
    return { id, ...r, durationMs: performance.now() - started };
  } catch (err) {
    return { id, ok: false, reason: err instanceof Error ? err.message : String(err), evidence: {}, durationMs: performance.now() - started };
  } finally {
    clearTimeout(timer);
  }
}

/** Runs every probe against the app under `root` (the real tree, or a mutated temp copy). */
export async function runProbes({ root, only }: { root: string; only?: readonly string[] }): Promise<ProbeRun> {
  const selected = PROBES.filter((p) => !only || only.includes(p.id));
  const started = performance.now();
  let app: AppUnderProbe;
  try {
    app = await loadApp(root);
  } catch (err) {
    const reason = `cannot load app from ${root}: ${err instanceof Error ? err.message : String(err)}`;
    return { probes: selected.map((p) => ({ id: p.id, ok: false, reason, evidence: {}, durationMs: 0 })), durationMs: performance.now() - started };
  }
  const spawned = new Map(selected.filter((p) => p.spawns).map((p) => [p.id, runOne(p.id, p.make(app), p.timeoutMs)]));
  const probes: ProbeResult[] = [];
  for (const p of selected) probes.push(await (spawned.get(p.id) ?? runOne(p.id, p.make(app), p.timeoutMs)));
  return { probes, durationMs: performance.now() - started };
}
