import {
  CONFIDENCE_DEFINITION,
  type FixResult,
  type MutationSummary,
  type ProbeResult,
  type QaResult,
  type SoakResult,
  type Verdict,
  survivorLine,
} from '../../reports/schemas/qa-result.ts';
import { SCORE_WEIGHTS } from './weights.ts';

export interface VerdictInput {
  fixes: readonly FixResult[];
  probes: readonly ProbeResult[];
  mutation: Pick<MutationSummary, 'survived' | 'survivors' | 'score' | 'defects'>;
  soak: SoakResult;
  equivalents: ReadonlyArray<{ id: string; falseAlarm: boolean }>;
}

/**
 * FAIL only on evidence: a surviving mutant, a located violation of a critical or major spec, a failed
 * probe, or a soak that ran and missed the bar. CONDITIONAL_PASS when the only findings are minor: a
 * minor spec, a fix the static engine could not locate (its probes decide), a false alarm on an
 * equivalent rewrite, a spec defect, or a soak that did not run.
 */
export function decideVerdict(input: VerdictInput): { verdict: Verdict; reasons: string[] } {
  const fatal = [
    ...input.mutation.survivors.map(survivorLine),
    ...(input.mutation.survived > input.mutation.survivors.length ? [`${input.mutation.survived} mutants survived`] : []),
    ...input.fixes
      .filter((f) => f.status === 'fail' && f.severity !== 'minor')
      .map((f) => `${f.severity} fix ${f.specId} failed: ${f.title}`),
    ...input.probes.filter((p) => !p.ok).map((p) => `probe ${p.id} failed: ${p.message}`),
    ...(input.soak.ran && !input.soak.ok ? [`soak: ${input.soak.message}`] : []),
  ];
  if (fatal.length) return { verdict: 'FAIL', reasons: fatal };
  const minor = [
    ...input.fixes.filter((f) => f.status === 'fail').map((f) => `minor fix ${f.specId} failed: ${f.title}`),
    // Not located is no evidence against the fix: at worst CONDITIONAL PASS, and only its probes or the soak can FAIL it.
    ...input.fixes
      .filter((f) => f.status === 'not-located')
      .map((f) => `fix ${f.specId} not located by the static engine (${f.evidence.find((e) => e.message.startsWith('NOT LOCATED'))?.message ?? 'no reason'}); its verdict rests on its probes and the soak`),
    ...input.equivalents.filter((e) => e.falseAlarm).map((e) => `false alarm on equivalent rewrite ${e.id}`),
    ...(input.mutation.defects ?? []).map((d) => `spec defect: mutant ${d.id} of ${d.specId} could not be made: ${d.reason}`),
    ...(input.soak.ran ? [] : [`memory soak not run: ${input.soak.reason}`]),
  ];
  return minor.length ? { verdict: 'CONDITIONAL_PASS', reasons: minor } : { verdict: 'PASS', reasons: [] };
}

/** Which legs prove a fix: its static check passes, a mutant of it was killed, a passing probe exercises it. */
export function coverageOf(fix: Pick<FixResult, 'specId' | 'status' | 'mutants'>, probes: readonly ProbeResult[]) {
  return {
    static: fix.status === 'pass',
    mutant: fix.mutants.killed > 0,
    probe: probes.some((p) => p.ok && p.specIds.includes(fix.specId)),
  };
}

export function computeConfidence(fixes: readonly Pick<FixResult, 'coverage'>[]): QaResult['confidence'] {
  const covered = fixes.filter((f) => f.coverage.static && f.coverage.mutant && f.coverage.probe).length;
  return { value: fixes.length ? covered / fixes.length : 0, covered, total: fixes.length, definition: CONFIDENCE_DEFINITION };
}

const share = (part: number, whole: number) => (whole > 0 ? part / whole : 0);

export function computeScore(input: VerdictInput, confidence: number): QaResult['score'] {
  const achieved: Record<keyof typeof SCORE_WEIGHTS, number> = {
    staticChecks: share(input.fixes.filter((f) => f.status === 'pass').length, input.fixes.length),
    mutation: input.mutation.score / 100,
    probes: share(input.probes.filter((p) => p.ok).length, input.probes.length),
    soak: input.soak.ran && input.soak.ok ? 1 : 0,
    confidence,
  };
  const parts = (Object.keys(SCORE_WEIGHTS) as Array<keyof typeof SCORE_WEIGHTS>).map((name) => ({
    name,
    weight: SCORE_WEIGHTS[name],
    earned: Math.round(SCORE_WEIGHTS[name] * achieved[name] * 100) / 100,
  }));
  const value = Math.round(parts.reduce((sum, p) => sum + p.earned, 0) * 10) / 10;
  return { value: Math.min(10, value), max: 10, parts };
}

/** Stryker's score in percent: (killed + timeout) / (killed + timeout + survived); 100 when nothing was scored. */
export function mutationScore(killed: number, timeout: number, survived: number): number {
  const scored = killed + timeout + survived;
  // Floor, not round: 99.96% must never print as 100%.
  return scored === 0 ? 100 : Math.floor(((killed + timeout) / scored) * 1000) / 10;
}
