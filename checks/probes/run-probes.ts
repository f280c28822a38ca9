import { periodicCleanupsContinue, shutdownWithinOneTick, startupCleanupImmediate } from './cleanup-probes.ts';
import { loadApp, type AppUnderProbe } from './load-app.ts';
import type { ProbeBody, ProbeResult, ProbeRun } from './probe-types.ts';
import { firstInsertKeepsLimit, mergeStaysBounded, oiHistoryStopsAt288 } from './store-probes.ts';

/** Probe id → the spec whose fix it exercises at run time. */
export const PROBES: ReadonlyArray<{ id: string; specId: string; make: (app: AppUnderProbe) => ProbeBody }> = [
  { id: 'startup-cleanup-immediate', specId: 'cleanup-immediate-then-periodic', make: startupCleanupImmediate },
  { id: 'periodic-cleanups-continue', specId: 'cleanup-immediate-then-periodic', make: periodicCleanupsContinue },
  { id: 'shutdown-within-one-tick', specId: 'cleanup-immediate-then-periodic', make: shutdownWithinOneTick },
  { id: 'first-insert-keeps-limit', specId: 'ohlcv-initial-trim', make: firstInsertKeepsLimit },
  { id: 'merge-stays-bounded', specId: 'ohlcv-merge-trim', make: mergeStaysBounded },
  { id: 'oi-history-stops-at-288', specId: 'oi-history-bounded', make: oiHistoryStopsAt288 },
];

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
export async function runProbes({ root }: { root: string }): Promise<ProbeRun> {
  const started = performance.now();
  let app: AppUnderProbe;
  try {
    app = await loadApp(root);
  } catch (err) {
    const reason = `cannot load app from ${root}: ${err instanceof Error ? err.message : String(err)}`;
    return { probes: PROBES.map((p) => ({ id: p.id, ok: false, reason, evidence: {}, durationMs: 0 })), durationMs: performance.now() - started };
  }
  const probes: ProbeResult[] = [];
  for (const p of PROBES) probes.push(await runOne(p.id, p.make(app)));
  return { probes, durationMs: performance.now() - started };
}
