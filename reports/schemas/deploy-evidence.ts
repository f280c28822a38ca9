import { z } from 'zod';
import { SCHEMA_VERSION, isoTime, sha256 } from './common.ts';
import { WhatGrew } from './qa-result.ts';

export const StepRecord = z.object({
  name: z.string().min(1).describe('e.g. preflight, lock, backup, upload, arm-timer, restart, log-proof, watch'),
  ok: z.boolean(),
  durationMs: z.number().min(0),
  detail: z.string().describe('one line; redacted before writing'),
});
export type StepRecord = z.infer<typeof StepRecord>;

export const FileChange = z.object({
  path: z.string().min(1).describe('absolute path on the host'),
  before: sha256.nullable().describe('null when the file did not exist before the deploy'),
  after: sha256.nullable().describe('null when the file does not exist afterwards'),
  mode: z.string().regex(/^[0-7]{3,4}$/, 'must be an octal mode like 0644').optional(),
});
export type FileChange = z.infer<typeof FileChange>;

export const LogProof = z.object({
  invocationId: z.string().min(1).describe("systemd's InvocationID of the restart the lines came from"),
  line: z.string().describe('the matched startup-cleanup line'),
  timestamp: isoTime.describe("the journal entry's realtime timestamp"),
  nextCleanupLine: z.string().nullable().describe('the first "Next memory cleanup in" line of the same invocation'),
});
export type LogProof = z.infer<typeof LogProof>;

const UnitLine = z.object({
  unit: z.enum(['message', 'listing', 'hour']),
  slope: z.number(),
  lo: z.number(),
  hi: z.number(),
  floor: z.number().describe('the smallest slope this window would have seen'),
  qaFloor: z.number().describe("QA's per-unit floor: a slope above it, beyond its interval, fails"),
  budget: z.number().nullable().describe('the MemoryHigh headroom spread over the days at the observed traffic'),
});
export const UnitWatch = z.object({
  model: z.enum(['joint', 'per-unit']).describe('per-unit: the units moved together, so each slope takes all the growth'),
  why: z.string().nullable(),
  samples: z.number().int().min(0).describe('retained-heap samples (one per cleanup) after the warm-up'),
  units: z.array(UnitLine),
  msgPerSecond: z.number(),
  listingTurnsPerDay: z.number(),
  headroomMb: z.number().nullable(),
  days: z.number(),
  daysToMemoryHigh: z.number().nullable(),
  floors: z.array(z.string()),
});
export type UnitWatch = z.infer<typeof UnitWatch>;

export const HeapSnapshotInfo = z.object({
  bytes: z.number().min(0),
  mode: z.string().describe('the file mode on the host, octal: 600'),
  ms: z.number().min(0).describe('from the signal until the process closed the file'),
  rssBeforeMb: z.number(),
  peakRssMb: z.number().describe('VmHWM after writing it: the peak RSS the snapshot needed (or an earlier, higher peak)'),
  peakRaised: z.boolean().describe('the snapshot set a new peak RSS, so peakRssMb is its own'),
  limitsLifted: z.boolean().optional().describe("the unit's MemoryHigh/MemoryMax were lifted (runtime) while it wrote: its peak is far above them"),
});
export type HeapSnapshotInfo = z.infer<typeof HeapSnapshotInfo>;
export const HeapEvidence = z.object({
  snapshots: z.array(HeapSnapshotInfo),
  messagesBetween: z.number().nullable(),
  secondsBetween: z.number().nullable(),
  whatGrew: WhatGrew.describe('what grew, and what holds it, between the two host snapshots'),
});
export type HeapEvidence = z.infer<typeof HeapEvidence>;

export const MemoryWatch = z.object({
  source: z.enum(['MemoryCurrent', 'VmRSS']).describe('MemoryCurrent when systemd sets it, else MainPID VmRSS'),
  samples: z.array(z.object({ tS: z.number().min(0), mb: z.number().min(0), nRestarts: z.number().int().min(0).optional() })),
  growthMbPerMin: z.number().nullable(),
  heap: HeapEvidence.nullable().optional().describe('two heap snapshots from the host, taken when the watch failed on memory'),
  units: UnitWatch.nullable().optional().describe("the retained heap judged in QA's units (absent in evidence older than the unit watch)"),
});
export type MemoryWatch = z.infer<typeof MemoryWatch>;

export const RollbackRecord = z.object({
  reason: z.string().min(1).describe('why the host was rolled back, e.g. "startup line not seen in 30s"'),
  toRelease: z.string().nullable().describe('the verified release restored; null when nothing was restored'),
  by: z.enum(['deploy', 'host-timer', 'rollback-command']),
  hashesVerified: z.boolean().describe('the restored files match the release manifest'),
});
export type RollbackRecord = z.infer<typeof RollbackRecord>;

export const HostEvidence = z.object({
  host: z.string().min(1),
  address: z.string().min(1),
  steps: z.array(StepRecord),
  files: z.array(FileChange),
  invocationId: z.string().nullable(),
  logProof: LogProof.nullable().describe('null when the line was never seen for this restart'),
  instances: z
    .array(z.object({ unit: z.string().min(1), invocationId: z.string().nullable(), logProof: LogProof.nullable() }))
    .optional()
    .describe('every unit proven, one per shard when sharded; invocationId/logProof above are the first'),
  memory: MemoryWatch.nullable(),
  lockHolder: z.string().nullable().describe('owner recorded in the lease lock, or the other holder when blocked'),
  rollback: RollbackRecord.nullable(),
  finalState: z.enum(['deployed', 'rolled-back', 'unchanged', 'failed']),
  exitCode: z.number().int().min(0),
});
export type HostEvidence = z.infer<typeof HostEvidence>;

export const DeployEvidence = z.object({
  schemaVersion: z.literal(SCHEMA_VERSION),
  kind: z.enum(['deploy', 'rollback']),
  startedAt: isoTime,
  finishedAt: isoTime,
  release: z.object({
    id: z.string().min(1),
    sourcesSha256: sha256.nullable().describe('runtime file set hash; compared with the QA report'),
    bundleSha256: sha256.nullable().describe('sha256 of the shipped bundle, built from the sources above; null for a rollback'),
    qaVerdict: z.enum(['PASS', 'CONDITIONAL_PASS', 'FAIL']).nullable(),
    selectedBy: z.enum(['build', 'last-verified', 'named']).describe('how the release was chosen'),
  }),
  dryRun: z.boolean(),
  hosts: z.array(HostEvidence),
  ok: z.boolean(),
  exitCode: z.number().int().min(0),
});
export type DeployEvidence = z.infer<typeof DeployEvidence>;
