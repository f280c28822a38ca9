import { failedSpecIds, checkSpec, checkSpecs, type LocatedNodes } from '../engine/run-specs.ts';
import { sourceSetFor, type SourceSet } from '../engine/source-set.ts';
import type { Spec } from '../engine/spec-schema.ts';
import type { OriginMap } from '../engine/symbols.ts';
import { where } from '../engine/location.ts';
import { appSpecs, appMutants } from '../fixes/index.ts';
import { reformatRewrites } from '../rewrites/reformat.ts';
import { applyOperation } from './apply-operation.ts';
import type { MutantDef, MutantResult, MutationRun, RewriteDef, RewriteResult } from './mutant-types.ts';
import { probesFor } from '../probes/run-probes.ts';
import { judgeByProbes, type ProbeChild } from './probe-rounds.ts';
import { createWorkspaces } from './workspace.ts';

export interface MutantOptions {
  root: string;
  specs?: readonly Spec[];
  mutants?: readonly MutantDef[];
  rewrites?: readonly RewriteDef[];
  /** false skips the probe mutants (they are reported as survived with that reason, never silently dropped). */
  probes?: boolean;
  /** Where the engine's walk starts when not package.json's scripts.start (the engine's fixtures). */
  entry?: string;
  /** Real-time budget for each probe child process. */
  probeBudgetMs?: number;
  /** Default: probeInChild (a real child process). */
  probeChild?: ProbeChild;
}

/** Specs that newly fail when `overlay` replaces files, among the specs that read those files. */
function newlyFailing(sources: SourceSet, specs: readonly Spec[], overlay: Map<string, string>, baseline: Set<string>, origins?: Map<string, OriginMap>): string[] {
  sources.setOverlay(overlay, origins);
  // Every spec is re-checked: where a spec holds is found from the entry, so any file may move it.
  const failed = failedSpecIds(checkSpecs(specs, sources)).filter((id) => !baseline.has(id));
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
  const defs = o.mutants ?? appMutants;
  const sources = sourceSetFor(o.root, o.entry);
  // The unmutated tree first: its findings locate every node the mutants are made from.
  const located = new Map<string, LocatedNodes>();
  const baselineFindings = specs.flatMap((s) => {
    const nodes: LocatedNodes = new Map();
    located.set(s.id, nodes);
    return checkSpec(s, sources, nodes);
  });
  const baseline = new Set(failedSpecIds(baselineFindings));
  const results: MutantResult[] = [];
  const pending: Array<{ def: MutantDef; dir: string; only: string[]; staticKill: string[]; at: { at?: string } }> = [];
  const workspaces = createWorkspaces(o.root);
  try {
    for (const def of defs) {
      const base = { id: def.id, specId: def.specId, operator: def.operation.op };
      if (def.equivalentBecause) {
        results.push({ ...base, status: 'excluded', killedBy: [], reason: def.equivalentBecause });
        continue;
      }
      const spec = specById(specs, def.specId);
      const applied = applyOperation(def.operation, located.get(spec.id) ?? new Map(), sources);
      if (!applied.ok) {
        results.push({ ...base, status: 'defect', killedBy: [], reason: `spec defect: the mutant cannot be made from what ${spec.id} located: ${applied.reason}` });
        continue;
      }
      const overlay = new Map([[applied.file, applied.text]]);
      const origins = applied.origins ? new Map([[applied.file, applied.origins]]) : undefined;
      const at = applied.at ? { at: where(applied.at, applied.file) } : {};
      const staticKill = newlyFailing(sources, specs, overlay, baseline, origins);
      if (def.killer === 'static') {
        results.push({ ...base, ...at, status: staticKill.length > 0 ? 'killed' : 'survived', killedBy: staticKill });
      } else if (o.probes === false) {
        results.push({ ...base, ...at, status: 'survived', killedBy: staticKill, reason: 'runtime probes were not run' });
      } else {
        pending.push({ def, dir: workspaces.make(overlay), only: probesFor(def.specId), staticKill, at });
      }
    }
    const judged = await judgeByProbes(pending, {
      root: o.root,
      ...(o.probeBudgetMs ? { budgetMs: o.probeBudgetMs } : {}),
      ...(o.probeChild ? { probeChild: o.probeChild } : {}),
    });
    for (const { job, verdict } of judged) {
      const { def, staticKill, at } = job;
      results.push({ id: def.id, specId: def.specId, operator: def.operation.op, ...at, ...verdict, killedBy: [...verdict.killedBy, ...staticKill] });
    }
  } finally {
    workspaces.dispose();
  }
  const equivalents = (o.rewrites ?? reformatRewrites(sources, specs)).map((r) => checkRewrite(r, specs, sources, baseline));
  const count = (s: MutantResult['status']) => results.filter((r) => r.status === s).length;
  const [killed, survived, timeout, excluded, defects] = [count('killed'), count('survived'), count('timeout'), count('excluded'), count('defect')];
  const order = new Map(defs.map((d, i) => [d.id, i]));
  results.sort((a, b) => (order.get(a.id) ?? 0) - (order.get(b.id) ?? 0));
  return { mutants: results, score: mutationScore(killed, timeout, survived), killed, survived, timeout, excluded, defects, durationMs: performance.now() - started, equivalents };
}

function checkRewrite(r: RewriteDef, specs: readonly Spec[], sources: SourceSet, baseline: Set<string>): RewriteResult {
  const file = r.file;
  const text = sources.text(file);
  if (text === undefined) return { id: r.id, specId: r.specId, description: r.description, ok: false, falseAlarms: [`${file} missing`] };
  const falseAlarms = newlyFailing(sources, specs, new Map([[file, r.rewrite(text, file)]]), baseline);
  return { id: r.id, specId: r.specId, description: r.description, ok: falseAlarms.length === 0, falseAlarms };
}

export const survivors = (run: MutationRun) => run.mutants.filter((m) => m.status === 'survived').map((m) => m.id);
