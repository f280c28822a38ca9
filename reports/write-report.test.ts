import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { deployEvidenceFixture } from './testing/deploy-evidence-fixture.ts';
import { qaResultFixture } from './testing/qa-result-fixture.ts';
import { stampOf, writeDeployEvidence, writeQaReport, writeReport, type ReportFs } from './write-report.ts';

const now = () => new Date('2025-01-02T03:04:05.678Z');
let dir = '';
afterEach(async () => {
  if (dir) await rm(dir, { recursive: true, force: true });
});

describe('writeReport', () => {
  it('stamps in yyyymmddThhmmssZ', () => expect(stampOf(now())).toBe('20250102T030405Z'));

  it('writes every format under the kind, then latest.* copies', async () => {
    dir = await mkdtemp(join(tmpdir(), 'lp-reports-'));
    const written = await writeQaReport(qaResultFixture(), { outDir: dir, now });
    expect(written.ok).toBe(true);
    if (!written.ok) return;
    expect(Object.keys(written.paths).sort()).toEqual(['html', 'json', 'junit.xml', 'md']);
    expect(written.paths.json).toBe(join(dir, 'qa', '20250102T030405Z.json'));
    expect(written.latest.md).toBe(join(dir, 'qa', 'latest.md'));
    expect(JSON.parse(await readFile(written.latest.json!, 'utf8')).verdict).toBe('PASS');
    expect(await readFile(written.latest.html!, 'utf8')).toBe(await readFile(written.paths.html!, 'utf8'));
  });

  it('writes extra files, such as the SARIF log, under the same stamp and as latest.*', async () => {
    dir = await mkdtemp(join(tmpdir(), 'lp-reports-'));
    const sarif = '{"version":"2.1.0","runs":[]}\n';
    const written = await writeQaReport(qaResultFixture(), { outDir: dir, now }, { sarif });
    expect(written.ok).toBe(true);
    if (!written.ok) return;
    expect(written.paths.sarif).toBe(join(dir, 'qa', '20250102T030405Z.sarif'));
    expect(await readFile(join(dir, 'qa', 'latest.sarif'), 'utf8')).toBe(sarif);
  });

  it('refuses an invalid result without writing, naming the field', async () => {
    const calls: string[] = [];
    const fs: ReportFs = { mkdir: async () => calls.push('mkdir'), writeFile: async (p) => void calls.push(p), copyFile: async (p) => void calls.push(p) };
    const written = await writeQaReport({ ...qaResultFixture(), verdict: 'OK' }, { fs, now });
    expect(written).toMatchObject({ ok: false, reason: expect.stringContaining('verdict:') });
    expect(calls).toEqual([]);
  });

  it('returns an fs failure as a value and leaves latest.* untouched', async () => {
    const copied: string[] = [];
    const fs: ReportFs = {
      mkdir: async () => undefined,
      writeFile: async (p) => {
        if (p.endsWith('.md')) throw new Error('ENOSPC: no space left on device');
      },
      copyFile: async (_from, to) => void copied.push(to),
    };
    const written = await writeReport('bench', { json: '{}', md: '#' }, { fs, now, outDir: '/x' });
    expect(written).toEqual({ ok: false, reason: 'cannot write bench report in /x/bench: ENOSPC: no space left on device' });
    expect(copied).toEqual([]);
  });
});

describe('writeDeployEvidence', () => {
  it('redacts before writing, and picks the rollback folder for rollback evidence', async () => {
    const files = new Map<string, string>();
    const fs: ReportFs = { mkdir: async () => undefined, writeFile: async (p, d) => void files.set(p, d), copyFile: async (a, b) => void files.set(b, files.get(a)!) };
    const evidence = { ...deployEvidenceFixture(), kind: 'rollback' as const };
    evidence.hosts[0]!.steps[0]!.detail = 'unlocked key with hunter22';
    const written = await writeDeployEvidence(evidence, { fs, now, outDir: '/o', secrets: ['hunter22'] });
    expect(written.ok).toBe(true);
    expect([...files.keys()]).toContain('/o/rollback/latest.md');
    for (const content of files.values()) expect(content).not.toContain('hunter22');
    expect(files.get('/o/rollback/latest.json')).toContain('unlocked key with [REDACTED]');
  });
});
