import { failedSpecIds, checkSpecs } from '../engine/run-specs.ts';
import { createSourceSet, type SourceSet } from '../engine/source-set.ts';
import type { Spec } from '../engine/spec-schema.ts';
import { appSpecs } from '../specs/app-fixes.ts';
import { probeMutants, rewrites, staticMutants } from './app-mutants.ts';
import { applyOperation } from './apply-operation.ts';
import type { MutantDef, MutantResult, MutationRun, RewriteDef, RewriteResult } from './mutant-types.ts';
import { probesCovering } from '../probes/run-probes.ts';
import { probeInChild } from './probe-in-child.ts';
import { createWorkspaces } from './workspace.ts';

export interface MutantOptions {
  root: string;
  specs?: readonly Spec[];
  mutants?: readonly MutantDef[];
  rewrites?: readonly RewriteDef[];
  /** false skips the probe mutants (they are reported as survived with that reason, never silently dropped). */
  probes?: boolean;
  /** Real-time budget for the probe child process. */
  probeBudgetMs?: number;
}

/** Specs that newly fail when `overlay` replaces files, among the specs that read those files. */
function newlyFailing(sources: SourceSet, specs: readonly Spec[], overlay: Map<string, string>, baseline: Set<string>): string[] {
  sources.setOverlay(overlay);
  const touched = specs.filter((s) => overlay.has(s.file) || s.assert.some((a) => a.kind === 'dependency-hygiene' && overlay.has('package.json')));
  const failed = failedSpecIds(checkSpecs(touched, sources)).filter((id) => !baseline.has(id));
  sources.setOverlay(new Map());
  return failed;
}

const specById = (specs: readonly Spec[], id: string) => {
  const s = specs.find((x) => x.id === id);
  if (!s) throw new Error(`mutant names unknown spec ${id}`);
  return s;
};

/** Stryker's score: detected (killed + timeout) over valid mutants; excluded ones are left out. */
export const mutationScore = (killed: number, timeout: number, survived: number) =>
  killed + timeout + survived === 0 ? 0 : (100 * (killed + timeout)) / (killed + timeout + survived);

export async function runMutants(o: MutantOptions): Promise<MutationRun> {
  const started = performance.now();
  const specs = o.specs ?? appSpecs;
  const defs = o.mutants ?? [...staticMutants, ...probeMutants];
  const sources = createSourceSet(o.root);
  const read = (rel: string) => sources.text(rel);
  const baseline = new Set(failedSpecIds(checkSpecs(specs, sources)));
  const results: MutantResult[] = [];
  const pending: Array<{ def: MutantDef; dir: string; file: string; staticKill: string[] }> = [];
  const workspaces = createWorkspaces(o.root);
  try {
    for (const def of defs) {
      const base = { id: def.id, specId: def.specId, operator: def.operation.op };
      if (def.equivalentBecause) {
        results.push({ ...base, status: 'excluded', killedBy: [], reason: def.equivalentBecause });
        continue;
      }
      const applied = applyOperation(def.operation, specById(specs, def.specId), read, def.file);
      if (!applied.ok) {
        results.push({ ...base, status: 'survived', killedBy: [], reason: `mutant could not be applied: ${applied.reason}` });
        continue;
      }
      const overlay = new Map([[applied.file, applied.text]]);
      const staticKill = newlyFailing(sources, specs, overlay, baseline);
      if (def.killer === 'static') {
        results.push({ ...base, status: staticKill.length > 0 ? 'killed' : 'survived', killedBy: staticKill });
      } else if (o.probes === false) {
        results.push({ ...base, status: 'survived', killedBy: staticKill, reason: 'runtime probes were not run' });
      } else {
        pending.push({ def, dir: workspaces.make(overlay), file: applied.file, staticKill });
      }
    }
    // The unmutated tree goes first in the same child, with every probe some mutant needs: a probe that
    // already fails there kills nothing.
    const jobs = pending.map((p) => ({ root: p.dir, only: probesCovering([p.file]) }));
    const needed = [...new Set(jobs.flatMap((j) => j.only))];
    const outcome = await probeInChild(pending.length > 0 ? [{ root: o.root, only: needed }, ...jobs] : [], o.root, o.probeBudgetMs ?? 10_000 + 3_000 * pending.length);
    const baselineProbeFailures = new Set((outcome.get(o.root) ?? []).filter((p) => !p.ok).map((p) => p.id));
    for (const { def, dir, staticKill } of pending) {
      const base = { id: def.id, specId: def.specId, operator: def.operation.op };
      const probes = outcome.get(dir);
      if (!probes) {
        results.push({ ...base, status: 'timeout', killedBy: staticKill, reason: 'the probe run did not finish in its budget' });
        continue;
      }
      const probeKill = probes.filter((p) => !p.ok && !baselineProbeFailures.has(p.id)).map((p) => p.id);
      results.push({ ...base, status: probeKill.length > 0 ? 'killed' : 'survived', killedBy: [...probeKill, ...staticKill] });
    }
  } finally {
    workspaces.dispose();
  }
  const equivalents = (o.rewrites ?? rewrites).map((r) => checkRewrite(r, specs, sources, baseline));
  const count = (s: MutantResult['status']) => results.filter((r) => r.status === s).length;
  const [killed, survived, timeout, excluded] = [count('killed'), count('survived'), count('timeout'), count('excluded')];
  const order = new Map(defs.map((d, i) => [d.id, i]));
  results.sort((a, b) => (order.get(a.id) ?? 0) - (order.get(b.id) ?? 0));
  return { mutants: results, score: mutationScore(killed, timeout, survived), killed, survived, timeout, excluded, durationMs: performance.now() - started, equivalents };
}

function checkRewrite(r: RewriteDef, specs: readonly Spec[], sources: SourceSet, baseline: Set<string>): RewriteResult {
  const applied = applyOperation(r.operation, specById(specs, r.specId), (rel) => sources.text(rel));
  if (!applied.ok) return { id: r.id, specId: r.specId, description: r.description, ok: false, falseAlarms: [`rewrite could not be applied: ${applied.reason}`] };
  const falseAlarms = newlyFailing(sources, specs, new Map([[applied.file, applied.text]]), baseline);
  return { id: r.id, specId: r.specId, description: r.description, ok: falseAlarms.length === 0, falseAlarms };
}

export const survivors = (run: MutationRun) => run.mutants.filter((m) => m.status === 'survived').map((m) => m.id);
