import { QA_SCHEMA_VERSION, type FixResult, type MutantRef, type ProbeResult, type QaResult, type Severity, type SoakResult } from '../../reports/schemas/qa-result.ts';
import type { SourceHash } from '../../reports/source-hash.ts';
import { computeConfidence, computeScore, coverageOf, decideVerdict, mutationScore } from './verdict.ts';

/** The parts of the checks' outputs the QA result is built from; see checks/index.ts for the producers. */
export interface SpecMeta {
  id: string;
  title: string;
  severity: Severity;
  why: string;
}
export interface FindingLike {
  specId: string;
  ok: boolean;
  message: string;
  file: string;
  line: number;
  col: number;
  check?: string;
  /** The engine could not find where the spec holds: no verdict of its own. */
  notLocated?: true;
}
export interface MutantOutcome extends MutantRef {
  status: 'killed' | 'survived' | 'timeout' | 'excluded' | 'defect';
  /** Why an excluded mutant cannot change behaviour under the design, or why a defect could not be made. */
  reason?: string;
}
export interface EquivalentOutcome {
  id: string;
  description: string;
  falseAlarm: boolean;
  message: string;
}

export interface QaInputs {
  startedAt: Date;
  finishedAt: Date;
  stages: Record<string, number>;
  specs: readonly SpecMeta[];
  findings: readonly FindingLike[];
  mutants: readonly MutantOutcome[];
  equivalents: readonly EquivalentOutcome[];
  probes: readonly ProbeResult[];
  soak: SoakResult;
  sources: SourceHash;
}

const DEPENDENCY_CHECK = 'dependency-hygiene';
const PACKAGE_IN_MESSAGE = /'([^']+)'|"([^"]+)"/;

/**
 * 'fail' only on a located violation; a spec with no findings checked nothing, which is a failure too.
 * 'not-located' when the engine could not find where the spec holds: the probes and the soak decide.
 */
function statusOf(findings: readonly FindingLike[]): FixResult['status'] {
  if (findings.length === 0 || findings.some((f) => !f.ok && !f.notLocated)) return 'fail';
  return findings.some((f) => f.notLocated) ? 'not-located' : 'pass';
}

function fixOf(spec: SpecMeta, inputs: QaInputs): FixResult {
  const findings = inputs.findings.filter((f) => f.specId === spec.id);
  const mutants = inputs.mutants.filter((m) => m.specId === spec.id && m.status !== 'excluded' && m.status !== 'defect');
  const partial = {
    specId: spec.id,
    status: statusOf(findings),
    mutants: {
      killed: mutants.filter((m) => m.status === 'killed' || m.status === 'timeout').length,
      total: mutants.length,
      survivors: mutants.filter((m) => m.status === 'survived').map((m) => m.id),
    },
  };
  return {
    ...partial,
    title: spec.title,
    severity: spec.severity,
    reason: spec.why,
    evidence: findings.map((f) => ({ file: f.file, line: Math.max(1, f.line), col: Math.max(1, f.col), message: `${f.ok ? '' : f.notLocated ? 'NOT LOCATED: ' : 'FAILED: '}${f.message}` })),
    probes: inputs.probes.filter((p) => p.specIds.includes(spec.id)).map((p) => p.id),
    coverage: coverageOf(partial, inputs.probes),
  };
}

/** Turns the stage outputs into the validated-shape QA result: verdict, score and confidence included. */
export function assembleQaResult(inputs: QaInputs): QaResult {
  const fixes = inputs.specs.map((spec) => fixOf(spec, inputs));
  const count = (status: MutantOutcome['status']) => inputs.mutants.filter((m) => m.status === status).length;
  const ref = (m: MutantOutcome): MutantRef => ({ id: m.id, specId: m.specId, description: m.description });
  const killed = count('killed');
  const timeout = count('timeout');
  const survived = count('survived');
  const mutation = {
    killed,
    survived,
    timeout,
    excluded: inputs.mutants
      .filter((m) => m.status === 'excluded')
      .map((m) => ({ ...ref(m), reason: m.reason ?? 'excluded without a stated reason' })),
    score: mutationScore(killed, timeout, survived),
    survivors: inputs.mutants.filter((m) => m.status === 'survived').map((m) => ({ ...ref(m), ...(m.reason ? { reason: m.reason } : {}) })),
    defects: inputs.mutants
      .filter((m) => m.status === 'defect')
      .map((m) => ({ ...ref(m), reason: m.reason ?? 'could not be made' })),
  };
  const probes = [...inputs.probes];
  const equivalents = [...inputs.equivalents];
  const decided = decideVerdict({ fixes, probes, mutation, soak: inputs.soak, equivalents });
  const confidence = computeConfidence(fixes);
  return {
    schemaVersion: QA_SCHEMA_VERSION,
    kind: 'qa',
    startedAt: inputs.startedAt.toISOString(),
    finishedAt: inputs.finishedAt.toISOString(),
    verdict: decided.verdict,
    verdictReasons: decided.reasons,
    score: computeScore({ fixes, probes, mutation, soak: inputs.soak, equivalents }, confidence.value),
    confidence,
    timings: { totalMs: inputs.finishedAt.getTime() - inputs.startedAt.getTime(), stages: inputs.stages },
    sources: inputs.sources,
    fixes,
    probes,
    mutation,
    soak: inputs.soak,
    dependencies: inputs.findings
      .filter((f) => f.check === DEPENDENCY_CHECK)
      .map((f) => {
        const pkg = PACKAGE_IN_MESSAGE.exec(f.message);
        const name = pkg?.[1] ?? pkg?.[2];
        return { file: f.file, line: Math.max(1, f.line), col: Math.max(1, f.col), message: f.message, ok: f.ok, ...(name ? { package: name } : {}) };
      }),
    equivalents,
  };
}
