import type { FileDiff } from '../releases/release-record.ts';
import type { ProofEvidence } from '../remote/restart-proof.ts';
import type { StepResult } from '../remote/step.ts';
import type { WatchEvidence } from '../remote/memory-watch.ts';

export type FinalState = 'deployed' | 'rolled-back' | 'unchanged' | 'failed';

/** Exit codes of the CLI contract; a fleet takes the worst (highest) of its hosts. */
export const EXIT = { ok: 0, restored: 1, usage: 2, locked: 3, unverified: 4 } as const;

export interface RollbackInfo {
  reason: string;
  toRelease: string | null;
  by: 'deploy' | 'host-timer' | 'rollback-command';
  hashesVerified: boolean;
}

/** Everything one host's deploy or rollback produced; the evidence writer maps it to the report schema. */
export interface HostRun {
  name: string;
  address: string;
  appDir: string;
  steps: StepResult[];
  diff: FileDiff[];
  /** One per unit proven (one per shard when sharded), in unit order; empty before any proof. */
  proofs: ProofEvidence[];
  memory: WatchEvidence | undefined;
  lockHolder: string | null;
  rollback: RollbackInfo | null;
  finalState: FinalState;
  exitCode: number;
  reason: string;
}

export function newHostRun(name: string, address: string, appDir: string): HostRun {
  return { name, address, appDir, steps: [], diff: [], proofs: [], memory: undefined, lockHolder: null, rollback: null, finalState: 'unchanged', exitCode: 0, reason: '' };
}
