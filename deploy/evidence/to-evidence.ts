import { posix } from 'node:path';
import type { DeployEvidence, HostEvidence } from '../../reports/schemas/deploy-evidence.ts';
import type { HostRun } from '../pipeline/host-run.ts';
import type { ProofEvidence } from '../remote/restart-proof.ts';

const oneLine = (s: string) => s.replace(/\s+/g, ' ').slice(0, 500);

function stepDetail(name: string, ok: boolean, reason: string, evidence: unknown): string {
  if (!ok) return oneLine(reason);
  if ((name === 'restart-proof' || name === 'restore-proof') && Array.isArray(evidence)) {
    const proofs = evidence as ProofEvidence[];
    const one = (p: ProofEvidence) => `invocation ${p.invocationId}; restart→proof ${p.restartToProofMs ?? '?'} ms; detection latency ${p.detectionLatencyMs?.toFixed(0) ?? '?'} ms`;
    return proofs.length === 1 && proofs[0] ? one(proofs[0]) : proofs.map((p) => `${p.unit}: ${one(p)}`).join(' | ');
  }
  return oneLine(reason || 'ok');
}

export function hostEvidence(run: HostRun): HostEvidence {
  const proofs = run.proofs.length ? run.proofs : (([...run.steps].reverse().find((s) => s.name === 'restore-proof' && s.ok)?.evidence as ProofEvidence[] | undefined) ?? []);
  const proof = proofs[0];
  const logProof = (p: ProofEvidence) =>
    p.startup ? { invocationId: p.invocationId, line: p.startup.message, timestamp: new Date(p.startup.timestampUs / 1000).toISOString(), nextCleanupLine: p.next?.message ?? null } : null;
  return {
    host: run.name,
    address: run.address,
    steps: run.steps.map((s) => ({ name: s.name, ok: s.ok, durationMs: Math.max(0, s.durationMs), detail: stepDetail(s.name, s.ok, s.reason, s.evidence) })),
    files: run.diff.map((d) => ({ path: posix.join(run.appDir, d.path), before: d.before, after: run.finalState === 'deployed' ? d.after : d.before })),
    invocationId: proof?.invocationId || null,
    logProof: proof ? logProof(proof) : null,
    instances: proofs.map((p) => ({ unit: p.unit, invocationId: p.invocationId || null, logProof: logProof(p) })),
    memory: run.memory ? { source: run.memory.source, samples: run.memory.samples, growthMbPerMin: run.memory.growthMbPerMin, units: run.memory.units, heap: run.memory.heap } : null,
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
  bundleSha256: string | null;
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
    release: { id: o.releaseId, sourcesSha256: o.sourcesSha256 || null, bundleSha256: o.bundleSha256, qaVerdict: o.qaVerdict, selectedBy: o.selectedBy },
    dryRun: o.dryRun,
    hosts: o.runs.map(hostEvidence),
    ok: o.exitCode === 0,
    exitCode: o.exitCode,
  };
}
