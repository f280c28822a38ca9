import { periodicCleanupsContinue, shutdownWithinOneTick, startupCleanupImmediate } from './cleanup-probes.ts';
import { loadApp, type AppUnderProbe } from './load-app.ts';
import type { ProbeBody, ProbeResult, ProbeRun } from './probe-types.ts';
import { firstInsertKeepsLimit, mergeStaysBounded, oiHistoryStopsAt288 } from './store-probes.ts';

const CLEANUP_TASK = 'app/cleanup/periodic-memory-cleanup.ts';
const MANAGER = 'app/manager/market-data-manager.ts';

export interface ProbeDef {
  id: string;
  /** The spec whose fix it exercises at run time. */
  specId: string;
  /** The app files it executes: a mutant of another file cannot change its outcome (coverage, as Stryker uses it). */
  covers: readonly string[];
  make: (app: AppUnderProbe) => ProbeBody;
}

export const PROBES: readonly ProbeDef[] = [
  { id: 'startup-cleanup-immediate', specId: 'cleanup-immediate-then-periodic', covers: [CLEANUP_TASK], make: startupCleanupImmediate },
  { id: 'periodic-cleanups-continue', specId: 'cleanup-immediate-then-periodic', covers: [CLEANUP_TASK, MANAGER], make: periodicCleanupsContinue },
  { id: 'shutdown-within-one-tick', specId: 'cleanup-immediate-then-periodic', covers: [CLEANUP_TASK], make: shutdownWithinOneTick },
  { id: 'first-insert-keeps-limit', specId: 'ohlcv-initial-trim', covers: [MANAGER], make: firstInsertKeepsLimit },
  { id: 'merge-stays-bounded', specId: 'ohlcv-merge-trim', covers: [MANAGER], make: mergeStaysBounded },
  { id: 'oi-history-stops-at-288', specId: 'oi-history-bounded', covers: [MANAGER], make: oiHistoryStopsAt288 },
];

/** Ids of the probes that execute any of `files`. */
export const probesCovering = (files: readonly string[]) => PROBES.filter((p) => p.covers.some((f) => files.includes(f))).map((p) => p.id);

const PROBE_TIMEOUT_MS = 5000;

async function runOne(id: string, body: ProbeBody): Promise<ProbeResult> {
  const started = performance.now();
  let timer: NodeJS.Timeout | undefined;
  try {
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error(`timed out after ${PROBE_TIMEOUT_MS} ms`)), PROBE_TIMEOUT_MS);
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
  const probes: ProbeResult[] = [];
  for (const p of selected) probes.push(await runOne(p.id, p.make(app)));
  return { probes, durationMs: performance.now() - started };
}
