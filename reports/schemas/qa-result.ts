import { z } from 'zod';
import { FileHash, SourceLocation, isoTime, sha256 } from './common.ts';

/**
 * The QA result's own version. 3: the soak is judged per unit of work (message, listing turn, simulated
 * hour) in absolute terms against a production profile; a deploy refuses a result of another version.
 */
export const QA_SCHEMA_VERSION = 3 as const;

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

export const SoakPhase = z.enum(['listing', 'message', 'hour']);
export type SoakPhase = z.infer<typeof SoakPhase>;

export const SoakSample = z.object({
  tS: z.number().min(0).describe('wall seconds since the build reported ready'),
  phase: SoakPhase.describe('the phase the sample closes: which unit of work moved since the last one'),
  simH: z.number().min(0).describe('simulated hours of the workload done'),
  messages: z.number().min(0).describe('WS messages the emulator pushed so far'),
  listingTurns: z.number().int().min(0).describe('symbols listed and later delisted so far'),
  rssMb: z.number().min(0),
  heapMb: z.number().min(0).describe('V8 heapUsed'),
  retainedMb: z.number().min(0).describe('heapUsed + arrayBuffers after a full gc: the data the process keeps'),
  tracked: z.number().int().min(0).describe('symbols the universe tracks'),
  ccxtSymbols: z.number().int().min(0).describe('symbols ccxt pro holds any client state for (countProClientState)'),
  ccxtEntries: z.number().int().min(0).describe("ccxt pro's per-symbol entries over all kinds"),
});
export type SoakSample = z.infer<typeof SoakSample>;

export const UnitName = z.enum(['message', 'listing', 'hour']);

export const UnitSlope = z.object({
  unit: UnitName,
  slope: z.number().describe('bytes retained per unit of work'),
  lo: z.number().describe('95% lower bound'),
  hi: z.number(),
  floor: z.number().min(0).describe('the smallest slope this run would have seen: twice the half-width of the interval'),
});

export const UnitProjection = z.object({
  perUnit: z.array(z.object({ unit: UnitName, mbPerDay: z.number() })),
  mbPerDay: z.number(),
  mbPerDayLo: z.number(),
  mbPerDayHi: z.number(),
  daysToHeadroom: z.number().nullable().describe('null: it does not grow'),
  daysToHeadroomLo: z.number().nullable(),
  reachesHeadroom: z.boolean().describe('growth at the lower bound fills the headroom within the days between restarts'),
});

/** One unit of one build, judged in absolute terms. */
export const UnitJudgement = z.object({
  unit: UnitName,
  ok: z.boolean(),
  message: z.string(),
});

export const SoakBuild = z.object({
  label: z.string().describe('human name of the build'),
  samples: z.array(SoakSample),
  fit: z.discriminatedUnion('ok', [z.object({ ok: z.literal(true), slopes: z.array(UnitSlope) }), z.object({ ok: z.literal(false), reason: z.string() })]),
  projection: UnitProjection.nullable().describe('growth at the production profile; null without a fit'),
  units: z.array(UnitJudgement),
  ok: z.boolean().describe('the absolute judgement: no unit grows beyond its interval and tolerance, and the projection stays within the headroom'),
  peakRssMb: z.number().min(0),
  peakHeapMb: z.number().min(0),
  ccxtSymbolsMax: z.number().int().min(0).describe('most symbols ccxt held client state for, at any sample'),
  messages: z.number().min(0).describe('WS messages pushed over the workload'),
  listingTurns: z.number().int().min(0),
  wallS: z.number().min(0).describe('wall seconds the workload took: load changes this, never the figures above'),
  cpuS: z.number().min(0).optional().describe("CPU seconds of the child's whole life: what the plan costs whatever the load"),
  exitReason: z.string().describe('how the child ended: "done", or the failure'),
});
export type SoakBuild = z.infer<typeof SoakBuild>;

export const ProductionProfile = z.object({
  symbols: z.number().int().min(1),
  msgPerSecond: z.number().min(0).describe("from the emulator's model of Bybit's push cadences for those symbols"),
  listingTurnsPerDay: z.number().min(0),
  daysBetweenRestarts: z.number().min(0),
  memoryHighMb: z.number().min(0).describe("the unit's MemoryHigh"),
  memoryHighSource: z.string().describe('where MemoryHigh was read'),
  headroomMb: z.number().describe("MemoryHigh less the real build's peak RSS"),
});
export type ProductionProfile = z.infer<typeof ProductionProfile>;

export const WhatGrewRow = z.object({
  kind: z.string().min(1).describe('what the objects are: a class name, `Object {props}`, `(string)`, `(closure) name`'),
  countBefore: z.number().int().min(0),
  countAfter: z.number().int().min(0),
  bytesBefore: z.number().min(0).describe('summed self size in the first snapshot'),
  bytesAfter: z.number().min(0),
  retainerPath: z.string().min(1).describe('what holds most of the new such objects: `MarketDataManager.ohlcv → Map → … → Array`'),
  retainerShare: z.number().min(0).max(1).optional().describe('share of the sampled new bytes held along that path (a size-weighted sample)'),
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
  unit: z.enum(['message', 'listing', 'hour']).optional().describe('the unit whose phase the two snapshots bracket'),
  result: WhatGrew,
});
export type WhatGrewReport = z.infer<typeof WhatGrewReport>;

export const SoakRan = z.object({
  ran: z.literal(true),
  plan: z.object({
    stepSimS: z.number().min(0),
    blockSimS: z.number().min(0),
    warmupTurns: z.number().int().min(0),
    listingBlocks: z.number().int().min(0),
    messagesPerTurn: z.number().min(0),
    fillMessages: z.number().min(0),
    messageBlocks: z.number().int().min(0),
    messagesPerBlock: z.number().min(0),
    simHours: z.number().min(0),
    bracketTurns: z.number().int().min(0),
    topN: z.number().int().min(1),
    rotationStep: z.number().int().min(1),
  }),
  profile: ProductionProfile,
  tolerance: z.record(UnitName, z.number().min(0)).describe('bytes per unit: a slope beyond its interval and above this fails'),
  targets: z.record(UnitName, z.number().min(0)).describe('bytes per unit the run must be able to see (its floor at most this)'),
  loadAverage: z.object({ start: z.number().min(0), end: z.number().min(0) }).describe('1-minute load average when the soak began and ended'),
  builds: z.object({ real: SoakBuild, fixRemoved: SoakBuild }),
  whatGrew: z.array(WhatGrewReport).describe('what grew, and what holds it: per build and unit that grew, over the phase that moved the unit'),
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
