import type { QaResult } from '../schemas/qa-result.ts';

export interface StageSummary {
  stage: string;
  passed: number;
  failed: number;
  ms: number | null;
}

/** The test-results table every QA renderer shows: one row per stage, counted from the result. */
export function stageSummaries(result: QaResult): StageSummary[] {
  const ms = (stage: string) => result.timings.stages[stage] ?? null;
  const count = <T>(items: readonly T[], ok: (item: T) => boolean) => ({
    passed: items.filter(ok).length,
    failed: items.filter((item) => !ok(item)).length,
  });
  const soak = result.soak;
  return [
    { stage: 'static checks (specs)', ...count(result.fixes, (f) => f.status === 'pass'), ms: ms('static') },
    {
      stage: 'mutants (killed / survived)',
      passed: result.mutation.killed + result.mutation.timeout,
      failed: result.mutation.survived,
      ms: ms('mutants'),
    },
    { stage: 'no false alarms (equivalent rewrites)', ...count(result.equivalents, (e) => !e.falseAlarm), ms: null },
    { stage: 'runtime probes', ...count(result.probes, (p) => p.ok), ms: ms('probes') },
    { stage: 'dependency hygiene', ...count(result.dependencies, (d) => d.ok), ms: null },
    {
      stage: soak.ran ? 'memory soak' : 'memory soak (skipped)',
      passed: soak.ran && soak.ok ? 1 : 0,
      failed: soak.ran && !soak.ok ? 1 : 0,
      ms: ms('soak'),
    },
  ];
}

/** Minor specs that failed: they lower the verdict to CONDITIONAL PASS, never to FAIL. */
export const minorFindings = (result: QaResult) =>
  result.fixes.filter((f) => f.status === 'fail' && f.severity === 'minor');
