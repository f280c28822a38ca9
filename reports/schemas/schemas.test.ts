import { describe, expect, it } from 'vitest';
import { qaResultFixture } from '../testing/qa-result-fixture.ts';
import { BenchResult, withCcxtRatios } from './bench-result.ts';
import { validate } from './common.ts';
import { DeployEvidence } from './deploy-evidence.ts';
import { QaResult } from './qa-result.ts';
import { deployEvidenceFixture } from '../testing/deploy-evidence-fixture.ts';

describe('QaResult', () => {
  it('accepts a complete passing result, and a skipped soak', () => {
    expect(validate(QaResult, qaResultFixture(), 'qa').ok).toBe(true);
    expect(validate(QaResult, { ...qaResultFixture(), soak: { ran: false, reason: '--no-soak' } }, 'qa').ok).toBe(true);
  });

  it.each([
    ['verdict', (r: Record<string, unknown>) => ({ ...r, verdict: 'MAYBE' }), 'verdict'],
    ['score above 10', (r: Record<string, unknown>) => ({ ...r, score: { value: 11, max: 10, parts: [] } }), 'score.value'],
    ['short sha', (r: Record<string, unknown>) => ({ ...r, sources: { sha256: 'abc', files: [] } }), 'sources.sha256'],
    ['schema version', (r: Record<string, unknown>) => ({ ...r, schemaVersion: 1 }), 'schemaVersion'],
    ['line 0', (r: Record<string, unknown>) => {
      const fixes = structuredClone(qaResultFixture().fixes);
      fixes[0]!.evidence[0]!.line = 0;
      return { ...r, fixes };
    }, 'fixes.0.evidence.0.line'],
    ['soak without reason', (r: Record<string, unknown>) => ({ ...r, soak: { ran: false } }), 'soak.reason'],
  ])('rejects a bad %s, naming the field', (_name, mutate, field) => {
    const checked = validate(QaResult, mutate(qaResultFixture() as unknown as Record<string, unknown>), 'qa report');
    expect(checked.ok).toBe(false);
    if (!checked.ok) expect(checked.reason).toContain(`invalid qa report: ${field}:`);
  });
});

describe('DeployEvidence', () => {
  it('accepts deploy and rollback evidence', () => {
    expect(validate(DeployEvidence, deployEvidenceFixture(), 'deploy').ok).toBe(true);
    expect(validate(DeployEvidence, { ...deployEvidenceFixture(), kind: 'rollback', release: { ...deployEvidenceFixture().release, selectedBy: 'last-verified' } }, 'deploy').ok).toBe(true);
  });

  it('rejects an unknown memory source and a bad mode', () => {
    const bad = deployEvidenceFixture();
    (bad.hosts[0]!.memory as { source: string }).source = 'ps';
    bad.hosts[0]!.files[0]!.mode = 'rw-r--r--';
    const checked = validate(DeployEvidence, bad, 'deploy evidence');
    expect(checked.ok).toBe(false);
    if (!checked.ok) {
      expect(checked.reason).toContain('hosts.0.memory.source');
      expect(checked.reason).toContain('hosts.0.files.0.mode: must be an octal mode');
    }
  });
});

describe('BenchResult', () => {
  const rows = withCcxtRatios(
    [
      { implementation: 'ccxt', scenario: 'new', appendsPerSec: 200_000, bytesPerCandle: 158, eldP99Ms: 148, gcMs: 140 },
      { implementation: 'ring', scenario: 'new', appendsPerSec: 8_000_000, bytesPerCandle: 49, eldP99Ms: 2.5, gcMs: 5 },
      { implementation: 'ring', scenario: 'mix', appendsPerSec: 1, bytesPerCandle: 1, eldP99Ms: 1, gcMs: 1 },
    ],
    'ccxt',
  );
  const bench = {
    schemaVersion: 1,
    kind: 'bench',
    startedAt: '2025-01-02T03:04:05.000Z',
    machine: { cpuModel: 'x', cpus: 2, totalMemMb: 4096, platform: 'linux', arch: 'x64' },
    node: 'v20.20.2',
    reps: 3,
    keys: 1200,
    cap: 1000,
    rows,
  };

  it('computes ratios against the same scenario of the baseline only', () => {
    expect(rows[0]!.vsCcxt).toBeNull();
    expect(rows[1]!.vsCcxt).toEqual({ appendsPerSec: 40, bytesPerCandle: 49 / 158 });
    expect(rows[2]!.vsCcxt).toBeNull();
    expect(validate(BenchResult, bench, 'bench').ok).toBe(true);
  });

  it('rejects a malformed node version', () => {
    const checked = validate(BenchResult, { ...bench, node: '20' }, 'bench');
    expect(checked.ok).toBe(false);
    if (!checked.ok) expect(checked.reason).toContain('node: must be a Node version');
  });
});
