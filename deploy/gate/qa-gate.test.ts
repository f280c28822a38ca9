import { describe, expect, it } from 'vitest';
import { combineFileHashes } from '../../reports/source-hash.ts';
import { qaGate } from './qa-gate.ts';

const shipped = [{ path: 'app/main.ts', sha256: 'a'.repeat(64) }, { path: 'package.json', sha256: 'b'.repeat(64) }];
const qa = (verdict: string, sha = combineFileHashes(shipped).sha256) => async () => JSON.stringify({ verdict, sources: { sha256: sha, files: shipped } });
const missing = async (): Promise<string> => {
  throw Object.assign(new Error('ENOENT'), { code: 'ENOENT' });
};

describe('qaGate', () => {
  it('passes a PASS report over exactly the shipped files and lists them', async () => {
    const r = await qaGate('/r', shipped, false, qa('PASS'));
    expect(r.ok).toBe(true);
    expect(r.evidence.qaFiles).toEqual(['app/main.ts', 'package.json']);
  });
  it('refuses a missing report with "run npm run qa first"', async () => {
    expect(await qaGate('/r', shipped, false, missing)).toMatchObject({ ok: false, reason: expect.stringMatching(/run npm run qa first/) });
  });
  it('refuses FAIL and a sources hash that differs from the shipped set', async () => {
    expect((await qaGate('/r', shipped, false, qa('FAIL'))).reason).toMatch(/FAIL/);
    expect((await qaGate('/r', shipped, false, qa('PASS', 'c'.repeat(64)))).reason).toMatch(/differs from the shipped files/);
  });
  it('--skip-qa turns a refusal into a recorded pass', async () => {
    const r = await qaGate('/r', shipped, true, qa('FAIL'));
    expect(r).toMatchObject({ ok: true, reason: '--skip-qa: QA verdict is FAIL', evidence: { skipped: true, verdict: 'FAIL' } });
  });
});
