import { posix } from 'node:path';
import type { DeployEvidence, HostEvidence } from '../../reports/schemas/deploy-evidence.ts';
import type { HostRun } from '../pipeline/host-run.ts';
import type { ProofEvidence } from '../remote/restart-proof.ts';

const oneLine = (s: string) => s.replace(/\s+/g, ' ').slice(0, 500);

function stepDetail(name: string, ok: boolean, reason: string, evidence: unknown): string {
  if (!ok) return oneLine(reason);
  if ((name === 'restart-proof' || name === 'restore-proof') && evidence) {
    const p = evidence as ProofEvidence;
    return `invocation ${p.invocationId}; restart→proof ${p.restartToProofMs ?? '?'} ms; detection latency ${p.detectionLatencyMs?.toFixed(0) ?? '?'} ms`;
  }
  return oneLine(reason || 'ok');
}

export function hostEvidence(run: HostRun): HostEvidence {
  const proof = run.proof ?? ([...run.steps].reverse().find((s) => s.name === 'restore-proof' && s.ok)?.evidence as ProofEvidence | undefined);
  return {
    host: run.name,
    address: run.address,
    steps: run.steps.map((s) => ({ name: s.name, ok: s.ok, durationMs: Math.max(0, s.durationMs), detail: stepDetail(s.name, s.ok, s.reason, s.evidence) })),
    files: run.diff.map((d) => ({ path: posix.join(run.appDir, d.path), before: d.before, after: run.finalState === 'deployed' ? d.after : d.before })),
    invocationId: proof?.invocationId || null,
    logProof: proof?.startup
      ? { invocationId: proof.invocationId, line: proof.startup.message, timestamp: new Date(proof.startup.timestampUs / 1000).toISOString(), nextCleanupLine: proof.next?.message ?? null }
      : null,
    memory: run.memory ? { source: run.memory.source, samples: run.memory.samples, growthMbPerMin: run.memory.growthMbPerMin } : null,
    lockHolder: run.lockHolder,
    rollback: run.rollback,
    finalState: run.finalState,
    exitCode: run.exitCode,
  };
}

export function deployEvidence(o: {
  kind: 'deploy' | 'rollback';
  startedAt: Date;
  releaseId: string;
  sourcesSha256: string | null;
  qaVerdict: DeployEvidence['release']['qaVerdict'];
  selectedBy: DeployEvidence['release']['selectedBy'];
  dryRun: boolean;
  runs: HostRun[];
  exitCode: number;
}): DeployEvidence {
  return {
    schemaVersion: 1,
    kind: o.kind,
    startedAt: o.startedAt.toISOString(),
    finishedAt: new Date().toISOString(),
    release: { id: o.releaseId, sourcesSha256: o.sourcesSha256 || null, qaVerdict: o.qaVerdict, selectedBy: o.selectedBy },
    dryRun: o.dryRun,
    hosts: o.runs.map(hostEvidence),
    ok: o.exitCode === 0,
    exitCode: o.exitCode,
  };
}
