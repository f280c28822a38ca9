import type { DeployEvidence } from '../schemas/deploy-evidence.ts';

/** A one-host deploy that was proven, then a second host that rolled back. */
export function deployEvidenceFixture(): DeployEvidence {
  const step = (name: string, ok = true) => ({ name, ok, durationMs: 120, detail: `${name} done` });
  return {
    schemaVersion: 1,
    kind: 'deploy',
    startedAt: '2025-01-02T03:04:05.000Z',
    finishedAt: '2025-01-02T03:05:05.000Z',
    release: { id: 'r20250102T030405Z', sourcesSha256: 'c'.repeat(64), bundleSha256: 'd'.repeat(64), qaVerdict: 'PASS', selectedBy: 'build' },
    dryRun: false,
    ok: false,
    exitCode: 1,
    hosts: [
      {
        host: 'vps1',
        address: '10.200.1.2',
        steps: [step('lock'), step('upload'), step('restart'), step('log-proof')],
        files: [{ path: '/opt/leakproof/app/main.ts', before: 'a'.repeat(64), after: 'b'.repeat(64), mode: '0644' }],
        invocationId: '0123456789abcdef0123456789abcdef',
        logProof: {
          invocationId: '0123456789abcdef0123456789abcdef',
          line: '✅ Startup cleanup complete in 0.01s: OHLCV trimmed: 4, OI trimmed: 2, GC: yes, Memory: 187.2MB → 171.4MB (-15.8MB freed)',
          timestamp: '2025-01-02T03:04:30.000Z',
          nextCleanupLine: '🧹 Next memory cleanup in 600s',
        },
        memory: { source: 'VmRSS', samples: [{ tS: 0, mb: 90 }, { tS: 5, mb: 91 }], growthMbPerMin: 0.2 },
        lockHolder: 'ci@runner:4242',
        rollback: null,
        finalState: 'deployed',
        exitCode: 0,
      },
      {
        host: 'vps2',
        address: '10.200.2.2',
        steps: [step('lock'), step('upload'), step('restart'), step('log-proof', false)],
        files: [{ path: '/opt/leakproof/app/new file.ts', before: null, after: null }],
        invocationId: 'fedcba9876543210fedcba9876543210',
        logProof: null,
        memory: null,
        lockHolder: 'ci@runner:4242',
        rollback: { reason: 'startup line not seen in 30s', toRelease: 'r20250101T000000Z', by: 'deploy', hashesVerified: true },
        finalState: 'rolled-back',
        exitCode: 1,
      },
    ],
  };
}
