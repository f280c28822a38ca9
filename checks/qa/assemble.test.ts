import { describe, expect, it } from 'vitest';
import { validate } from '../../reports/schemas/common.ts';
import { QaResult } from '../../reports/schemas/qa-result.ts';
import { combineFileHashes } from '../../reports/source-hash.ts';
import { assembleQaResult, type QaInputs } from './assemble.ts';

function inputs(): QaInputs {
  return {
    startedAt: new Date('2025-01-02T00:00:00Z'),
    finishedAt: new Date('2025-01-02T00:00:30Z'),
    stages: { static: 800, mutants: 4000, probes: 2000 },
    specs: [
      { id: 'trim', title: 'Initial trim', severity: 'critical', why: 'first insert skipped the size check' },
      { id: 'deps', title: 'Dependency hygiene', severity: 'major', why: 'psutil was missing' },
    ],
    findings: [
      { specId: 'trim', ok: true, message: 'limit lookup before store', file: 'app/m.ts', line: 10, col: 5, check: 'dominates' },
      { specId: 'deps', ok: true, message: "'ccxt' is in dependencies", file: 'app/x.ts', line: 1, col: 1, check: 'dependency-hygiene' },
    ],
    mutants: [
      { id: 'trim-delete', specId: 'trim', description: 'delete the trim', status: 'killed' },
      { id: 'trim-x1000', specId: 'trim', description: 'limit × 1000', status: 'timeout' },
      { id: 'trim-noop', specId: 'trim', description: 'bounded by construction', status: 'excluded', reason: 'the ring cannot outgrow its capacity' },
      { id: 'deps-drop', specId: 'deps', description: 'drop ccxt', status: 'killed' },
    ],
    equivalents: [{ id: 'inverted', description: 'if/else inverted', falseAlarm: false, message: 'ok' }],
    probes: [{ id: 'keeps-1440', title: 'keeps 1440', ok: true, durationMs: 30, message: 'kept 1440', specIds: ['trim'] }],
    soak: { ran: false, reason: '--no-soak' },
    sources: combineFileHashes([{ path: 'app/main.ts', sha256: 'a'.repeat(64) }]),
  };
}

describe('assembleQaResult', () => {
  it('builds a valid result with per-fix evidence, mutants and coverage', () => {
    const r = assembleQaResult(inputs());
    expect(validate(QaResult, r, 'qa').ok).toBe(true);
    expect(r.fixes[0]).toMatchObject({
      specId: 'trim',
      status: 'pass',
      evidence: [{ file: 'app/m.ts', line: 10, col: 5 }],
      mutants: { killed: 2, total: 2, survivors: [] },
      probes: ['keeps-1440'],
      coverage: { static: true, mutant: true, probe: true },
    });
    expect(r.fixes[1]!.coverage.probe).toBe(false);
    expect(r.confidence).toMatchObject({ covered: 1, total: 2, value: 0.5 });
    expect(r.mutation).toMatchObject({ killed: 2, timeout: 1, survived: 0, score: 100 });
    expect(r.mutation.excluded).toEqual([expect.objectContaining({ id: 'trim-noop', reason: 'the ring cannot outgrow its capacity' })]);
    expect(r.dependencies).toEqual([expect.objectContaining({ package: 'ccxt', ok: true })]);
    expect(r.timings.totalMs).toBe(30_000);
    expect(r.verdict).toBe('CONDITIONAL_PASS');
  });

  it('fails a spec that produced no findings, and a survivor fails the run', () => {
    const i = inputs();
    i.findings = i.findings.filter((f) => f.specId !== 'trim');
    i.mutants = i.mutants.map((m) => (m.id === 'deps-drop' ? { ...m, status: 'survived' } : m));
    const r = assembleQaResult(i);
    expect(r.fixes[0]!.status).toBe('fail');
    expect(r.fixes[1]!.mutants.survivors).toEqual(['deps-drop']);
    expect(r.verdict).toBe('FAIL');
    expect(r.verdictReasons).toEqual(
      expect.arrayContaining(['surviving mutant deps-drop of deps: drop ccxt', 'critical fix trim failed: Initial trim']),
    );
    expect(r.mutation.score).toBe(66.6);
  });
});
