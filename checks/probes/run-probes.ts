import { PROBES } from '../fixes/index.ts';
import { loadApp, type AppUnderProbe } from './load-app.ts';
import type { ProbeBody, ProbeResult, ProbeRun } from './probe-types.ts';

/** The probes are registered by the fix modules (checks/fixes/<id>.ts), each beside its spec and mutants. */
export { PROBES };
export type { ProbeDef } from './probe-types.ts';

/** Ids of the probes that exercise a fix: what a mutant of it is run against. */
export const probesFor = (specId: string) => PROBES.filter((p) => p.specIds.some((id) => id === specId)).map((p) => p.id);

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
