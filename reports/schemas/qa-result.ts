import { z } from 'zod';
import { FileHash, SourceLocation, isoTime, sha256 } from './common.ts';

/**
 * The QA result's own version. 2: the soak is judged per simulated hour, with intervals, and carries
 * its heap readings (`soak.whatGrew`); a deploy refuses a result of another version.
 */
export const QA_SCHEMA_VERSION = 2 as const;

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

/** The one sentence the verdict and every report use for a surviving mutant. */
export const survivorLine = (s: MutantRef & { reason?: string | undefined }) =>
  `surviving mutant ${s.id} of ${s.specId}: ${s.description}${s.reason ? ` (${s.reason})` : ''}`;

export const FixResult = z.object({
  specId: z.string().min(1),
  title: z.string().min(1),
  severity: Severity,
  reason: z.string().describe('why the spec exists: the historical bug it guards against'),
  status: z.enum(['pass', 'fail', 'not-located']).describe("'not-located': the static engine could not find where the fix holds; its probes and the soak decide"),
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
  survivors: z.array(MutantRef.extend({ reason: z.string().min(1).optional().describe('why no probe could tell, when that was the cause') })),
  defects: z
    .array(MutantRef.extend({ reason: z.string().min(1) }))
    .optional()
    .describe('mutants that could not be made from what their spec located: spec defects, never counted as survivors'),
});
export type MutationSummary = z.infer<typeof MutationSummary>;

export const SoakSample = z.object({
  tS: z.number().min(0).describe('wall seconds since the build reported ready'),
  simH: z.number().min(0).describe('simulated hours of the workload done'),
  messages: z.number().min(0).describe('WS messages the emulator pushed so far'),
  rssMb: z.number().min(0),
  heapMb: z.number().min(0).describe('V8 heapUsed'),
  retainedMb: z.number().min(0).describe('heapUsed + arrayBuffers after a full gc: the data the process keeps'),
  tracked: z.number().int().min(0).describe('symbols the universe tracks'),
  ccxtSymbols: z.number().int().min(0).describe('symbols ccxt pro holds any client state for (countProClientState)'),
  ccxtEntries: z.number().int().min(0).describe("ccxt pro's per-symbol entries over all kinds"),
});
export type SoakSample = z.infer<typeof SoakSample>;

export const SlopeInterval = z.object({
  slope: z.number(),
  se: z.number().min(0).describe('standard error of the slope'),
  lo: z.number().describe('95% lower bound (Student t, n − 2 degrees of freedom)'),
  hi: z.number(),
  n: z.number().int().min(3),
});

export const SoakBuild = z.object({
  label: z.string().describe('human name of the build'),
  samples: z.array(SoakSample),
  retained: SlopeInterval.nullable().describe('MB retained per simulated hour after the warm-up; the verdict uses this one'),
  rssMbPerSimHour: z.number().nullable(),
  heapMbPerSimHour: z.number().nullable(),
  peakRssMb: z.number().min(0),
  peakHeapMb: z.number().min(0),
  ccxtSymbolsMax: z.number().int().min(0).describe('most symbols ccxt held client state for, at any sample'),
  messages: z.number().min(0).describe('WS messages pushed over the workload'),
  wallS: z.number().min(0).describe('wall seconds the workload took: load changes this, never the figures above'),
  exitReason: z.string().describe('how the child ended: "done", or the failure'),
});
export type SoakBuild = z.infer<typeof SoakBuild>;

export const WhatGrewRow = z.object({
  kind: z.string().min(1).describe('what the objects are: a class name, `Object {props}`, `(string)`, `(closure) name`'),
  countBefore: z.number().int().min(0),
  countAfter: z.number().int().min(0),
  bytesBefore: z.number().min(0).describe('summed self size in the first snapshot'),
  bytesAfter: z.number().min(0),
  retainerPath: z.string().min(1).describe('what holds most of the new such objects: `MarketDataManager.ohlcv → Map → … → Array`'),
  retainerShare: z.number().min(0).max(1).optional().describe('share of the sampled new objects held along that path'),
});
export type WhatGrewRow = z.infer<typeof WhatGrewRow>;

/** memlab's reading of two heap snapshots of one process (checks/heap/), or why there is none. */
export const WhatGrew = z.discriminatedUnion('ok', [
  z.object({
    ok: z.literal(true),
    rows: z.array(WhatGrewRow).describe('the kinds that grew most between the snapshots, most bytes first'),
    analysisMs: z.number().min(0),
    snapshotMs: z.number().min(0).optional().describe('writing both snapshots'),
    snapshotMb: z.number().min(0).optional().describe('size of the second snapshot file'),
  }),
  z.object({ ok: z.literal(false), reason: z.string().min(1) }),
]);
export type WhatGrew = z.infer<typeof WhatGrew>;

export const WhatGrewReport = z.object({
  source: z.string().min(1).describe('the process that grew, e.g. "soak: fix-removed build"'),
  result: WhatGrew,
});
export type WhatGrewReport = z.infer<typeof WhatGrewReport>;

export const SoakRan = z.object({
  ran: z.literal(true),
  workload: z.object({
    simHours: z.number().min(0),
    stepSimS: z.number().min(0),
    messagesPerSimMinute: z.number().min(0),
    sampleEverySimMinutes: z.number().min(0),
    warmupSimHours: z.number().min(0),
    topN: z.number().int().min(1),
    rotation: z.object({ everySeconds: z.number().min(0), listed: z.number().int().min(0), step: z.number().int().min(1) }),
  }),
  loadAverage: z.object({ start: z.number().min(0), end: z.number().min(0) }).describe('1-minute load average when the soak began and ended'),
  builds: z.object({ real: SoakBuild, fixRemoved: SoakBuild }),
  ratio: z
    .number()
    .nullable()
    .describe('fixRemoved retained slope / max(real retained slope, floor); null when the fix-removed build did not grow'),
  minRatio: z.number().min(1).describe("the bar: fix-removed's lower bound ≥ minRatio × max(real's upper bound, floor)"),
  noiseFloorMbPerSimHour: z.number().min(0),
  whatGrew: z.array(WhatGrewReport).describe('what grew, and what holds it: the fix-removed build, and the real build when it grew'),
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
  schemaVersion: z.literal(QA_SCHEMA_VERSION),
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
