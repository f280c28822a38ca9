import { describe, expect, it } from 'vitest';
import { combineFileHashes } from '../../reports/source-hash.ts';
import { qaResultFixture } from '../../reports/testing/qa-result-fixture.ts';
import { qaGate } from './qa-gate.ts';

const sources = [{ path: 'app/main.ts', sha256: 'a'.repeat(64) }, { path: 'package.json', sha256: 'b'.repeat(64) }];
const qa = (verdict: string, sha = combineFileHashes(sources).sha256) => async () => JSON.stringify({ verdict, sources: { sha256: sha, files: sources } });
const missing = async (): Promise<string> => {
  throw Object.assign(new Error('ENOENT'), { code: 'ENOENT' });
};

describe('qaGate', () => {
  it("passes a PASS report over exactly the bundle's sources", async () => {
    const r = await qaGate('/r', sources, false, qa('PASS'));
    expect(r).toMatchObject({ ok: true, evidence: { sourcesSha256: combineFileHashes(sources).sha256, qaSha256: combineFileHashes(sources).sha256 } });
  });
  it("hands the watch the QA report's per-unit floors (its soak's tolerance), and none without a soak", async () => {
    const report = { ...qaResultFixture(), verdict: 'PASS', sources: { sha256: combineFileHashes(sources).sha256, files: sources } };
    if (!report.soak.ran) throw new Error('fixture: the soak ran');
    const tolerance = { message: 3, listing: 1000, hour: 5000 };
    const r = await qaGate('/r', sources, false, async () => JSON.stringify({ ...report, soak: { ...report.soak, tolerance } }));
    expect(r.evidence.unitFloors).toEqual(tolerance);
    expect((await qaGate('/r', sources, false, qa('PASS'))).evidence.unitFloors).toBeNull();
  });
  it('refuses a missing report with "run npm run qa first"', async () => {
    expect(await qaGate('/r', sources, false, missing)).toMatchObject({ ok: false, reason: expect.stringMatching(/run npm run qa first/) });
  });
  it('refuses FAIL and a sources hash that differs from the shipped set', async () => {
    expect((await qaGate('/r', sources, false, qa('FAIL'))).reason).toMatch(/FAIL/);
    expect((await qaGate('/r', sources, false, qa('PASS', 'c'.repeat(64)))).reason).toMatch(/differs from the bundle's sources/);
  });
  it('refuses a report that is not the QA schema, naming the field', async () => {
    const r = await qaGate('/r', sources, false, async () => JSON.stringify({ verdict: 'GREAT', sources: { sha256: 'x', files: [] } }));
    expect(r.ok).toBe(false);
    expect(r.reason).toMatch(/invalid reports\/out\/qa\/latest\.json: verdict: .*sources\.sha256/);
  });
  it('--skip-qa turns a refusal into a recorded pass', async () => {
    const r = await qaGate('/r', sources, true, qa('FAIL'));
    expect(r).toMatchObject({ ok: true, reason: '--skip-qa: QA verdict is FAIL', evidence: { skipped: true, verdict: 'FAIL' } });
  });
});
