import type { ProbeResult } from '../../reports/schemas/qa-result.ts';
import { bundleFileSet, PROBES, runMutants, runProbes, runStaticChecks, type MutationRun, type ProbeRun } from '../index.ts';
import type { EquivalentOutcome, FindingLike, MutantOutcome, SpecMeta } from './assemble.ts';

/** What the QA run needs from the checks, in the QA result's vocabulary; stand-ins replace it in tests. */
export interface StaticOutput {
  specs: readonly SpecMeta[];
  findings: readonly FindingLike[];
}
export interface MutantsOutput {
  mutants: readonly MutantOutcome[];
  equivalents: readonly EquivalentOutcome[];
}
export interface ChecksApi {
  runStaticChecks(o: { root: string }): StaticOutput | Promise<StaticOutput>;
  runMutants(o: { root: string }): MutantsOutput | Promise<MutantsOutput>;
  runProbes(o: { root: string }): readonly ProbeResult[] | Promise<readonly ProbeResult[]>;
  /** What `sources.sha256` hashes: the shipped bundle's exact input files. */
  runtimeFileSet(root: string): string[] | Promise<string[]>;
}

const TITLE = (id: string) => id.replaceAll('-', ' ');

export function fromMutationRun(run: MutationRun): MutantsOutput {
  return {
    mutants: run.mutants.map((m) => ({
      id: m.id,
      specId: m.specId,
      description: `${m.operator}${m.killedBy.length ? ` (killed by ${m.killedBy.join(', ')})` : ''}`,
      status: m.status,
      ...(m.reason ? { reason: m.reason } : {}),
    })),
    equivalents: run.equivalents.map((e) => ({
      id: e.id,
      description: e.description,
      falseAlarm: !e.ok,
      message: e.ok ? 'no failing finding' : `false alarms: ${e.falseAlarms.join(', ')}`,
    })),
  };
}

export function fromProbeRun(run: ProbeRun, specsOf: (id: string) => readonly string[]): ProbeResult[] {
  return run.probes.map((p) => {
    return { id: p.id, title: TITLE(p.id), ok: p.ok, durationMs: p.durationMs, message: p.reason, specIds: [...specsOf(p.id)] };
  });
}

/** The real checks (checks/engine, checks/mutants, checks/probes), adapted to the QA vocabulary. */
export const checksApi: ChecksApi = {
  runStaticChecks: ({ root }) => runStaticChecks({ root }),
  runMutants: async ({ root }) => fromMutationRun(await runMutants({ root })),
  runProbes: async ({ root }) => fromProbeRun(await runProbes({ root }), (id) => PROBES.find((p) => p.id === id)?.specIds ?? []),
  runtimeFileSet: bundleFileSet,
};
