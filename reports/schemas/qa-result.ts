import { z } from 'zod';
import { FileHash, SCHEMA_VERSION, SourceLocation, isoTime, sha256 } from './common.ts';

export const Verdict = z.enum(['PASS', 'CONDITIONAL_PASS', 'FAIL']);
export type Verdict = z.infer<typeof Verdict>;

export const Severity = z.enum(['critical', 'major', 'minor']);
export type Severity = z.infer<typeof Severity>;

export const CONFIDENCE_DEFINITION =
  'share of fixes covered by all three: a passing static check, at least one killed mutant, and a passing runtime probe';

const MutantRef = z.object({
  id: z.string().min(1),
  specId: z.string().min(1),
  description: z.string().describe('what the mutant changed, e.g. "delete the trim statement"'),
});
export type MutantRef = z.infer<typeof MutantRef>;

export const FixResult = z.object({
  specId: z.string().min(1),
  title: z.string().min(1),
  severity: Severity,
  reason: z.string().describe('why the spec exists: the historical bug it guards against'),
  status: z.enum(['pass', 'fail']),
  evidence: z.array(SourceLocation).describe('file:line:col of each assertion, passing or failing'),
  mutants: z.object({
    killed: z.number().int().min(0),
    total: z.number().int().min(0),
    survivors: z.array(z.string()).describe('ids of mutants of this spec that no check caught'),
  }),
  probes: z.array(z.string()).describe('ids of the runtime probes that exercise this fix'),
  coverage: z
    .object({ static: z.boolean(), mutant: z.boolean(), probe: z.boolean() })
    .describe('the three legs of confidence for this fix'),
});
export type FixResult = z.infer<typeof FixResult>;

export const ProbeResult = z.object({
  id: z.string().min(1),
  title: z.string().min(1),
  ok: z.boolean(),
  durationMs: z.number().min(0),
  message: z.string(),
  specIds: z.array(z.string()).describe('fixes this probe exercises'),
});
export type ProbeResult = z.infer<typeof ProbeResult>;

/** Stryker's vocabulary: score = (killed + timeout) / (killed + timeout + survived), in percent. */
export const MutationSummary = z.object({
  killed: z.number().int().min(0),
  survived: z.number().int().min(0),
  timeout: z.number().int().min(0),
  excluded: z
    .array(MutantRef.extend({ reason: z.string().min(1) }))
    .describe('mutants that cannot change behaviour under the design, left out of the score'),
  score: z.number().min(0).max(100).describe('percent; 100 when nothing was scored'),
  survivors: z.array(MutantRef),
});
export type MutationSummary = z.infer<typeof MutationSummary>;

export const SoakSample = z.object({
  tS: z.number().min(0).describe('seconds since the build started'),
  rssMb: z.number().min(0),
  heapMb: z.number().min(0).describe('V8 heapUsed'),
  retainedMb: z.number().min(0).describe('heapUsed + arrayBuffers after a full gc: the data the process keeps'),
});
export type SoakSample = z.infer<typeof SoakSample>;

export const SoakBuild = z.object({
  label: z.string().describe('human name of the build'),
  samples: z.array(SoakSample),
  growthMbPerMin: z.number().describe('least-squares slope of RSS after the warm-up'),
  heapGrowthMbPerMin: z.number().describe('least-squares slope of heapUsed after the warm-up'),
  retainedGrowthMbPerMin: z
    .number()
    .describe('least-squares slope of retained memory after the warm-up; the ratio and the bar use this one'),
  peakRssMb: z.number().min(0),
  peakHeapMb: z.number().min(0),
  exitReason: z.string().describe('how the child ended: "stopped", or the failure'),
});
export type SoakBuild = z.infer<typeof SoakBuild>;

export const SoakRan = z.object({
  ran: z.literal(true),
  durationS: z.number().min(0),
  warmupS: z.number().min(0),
  sampleIntervalMs: z.number().min(1),
  builds: z.object({ real: SoakBuild, fixRemoved: SoakBuild }),
  ratio: z
    .number()
    .nullable()
    .describe('fixRemoved retained growth / max(real retained growth, floor); null when the fix-removed build did not grow'),
  minRatio: z.number().min(1).describe('the bar: the fix-removed build must grow this many times faster'),
  ok: z.boolean(),
  message: z.string(),
});
export const SoakSkipped = z.object({ ran: z.literal(false), reason: z.string().min(1) });
export const SoakResult = z.discriminatedUnion('ran', [SoakRan, SoakSkipped]);
export type SoakRan = z.infer<typeof SoakRan>;
export type SoakResult = z.infer<typeof SoakResult>;

export const DependencyFinding = SourceLocation.extend({
  ok: z.boolean(),
  package: z.string().optional().describe('the imported package, when the finding is about one'),
});
export type DependencyFinding = z.infer<typeof DependencyFinding>;

export const EquivalentResult = z.object({
  id: z.string().min(1),
  description: z.string().describe('a behaviour-preserving rewrite, e.g. "if/else inverted"'),
  falseAlarm: z.boolean().describe('true when a static check wrongly failed on the rewrite'),
  message: z.string(),
});
export type EquivalentResult = z.infer<typeof EquivalentResult>;

export const ScorePart = z.object({
  name: z.string(),
  weight: z.number().min(0),
  earned: z.number().min(0).describe('0..weight'),
});

export const QaResult = z.object({
  schemaVersion: z.literal(SCHEMA_VERSION),
  kind: z.literal('qa'),
  startedAt: isoTime,
  finishedAt: isoTime,
  verdict: Verdict,
  verdictReasons: z.array(z.string()).describe('every condition that lowered the verdict; empty on PASS'),
  score: z.object({
    value: z.number().min(0).max(10).describe('sum of earned weights, out of 10'),
    max: z.literal(10),
    parts: z.array(ScorePart),
  }),
  confidence: z.object({
    value: z.number().min(0).max(1),
    covered: z.number().int().min(0),
    total: z.number().int().min(0),
    definition: z.string(),
  }),
  timings: z.object({
    totalMs: z.number().min(0),
    stages: z.record(z.string(), z.number().min(0)).describe('wall time of each stage in ms'),
  }),
  sources: z.object({
    sha256: sha256.describe('sha256 of the sorted "path\\0sha256(content)\\n" list of the runtime file set'),
    files: z.array(FileHash),
  }),
  fixes: z.array(FixResult),
  probes: z.array(ProbeResult),
  mutation: MutationSummary,
  soak: SoakResult,
  dependencies: z.array(DependencyFinding),
  equivalents: z.array(EquivalentResult),
});
export type QaResult = z.infer<typeof QaResult>;
