// @module-tag e2e
import { describe, expect, it } from 'vitest';
import { REPO_ROOT } from '../testing/fixture-specs.ts';
import { PROBES, probesFor, runProbes } from './run-probes.ts';

describe('runtime probes against the real app', () => {
  it('every probe passes on the shipped code, with evidence and a duration', { timeout: 60_000 }, async () => {
    const run = await runProbes({ root: REPO_ROOT });
    expect(run.probes.map((p) => [p.id, p.ok, p.reason])).toEqual(PROBES.map((p) => [p.id, true, expect.any(String)]));
    const first = run.probes.find((p) => p.id === 'first-insert-keeps-limit')!;
    expect(first.evidence).toEqual({ inserted: 5000, kept: { ring: 1440, 'trim-only': 1440 } });
    expect(run.probes.every((p) => p.durationMs >= 0)).toBe(true);
  });
  it('covers every app spec with at least one probe', async () => {
    const { appSpecs } = await import('../fixes/index.ts');
    expect(appSpecs.filter((s) => !PROBES.some((p) => p.specIds.some((id) => id === s.id))).map((s) => s.id)).toEqual([]);
  });
  it('fails every probe with the reason when the app cannot be loaded', async () => {
    const run = await runProbes({ root: '/nonexistent-leakproof-root', only: ['oi-history-stops-at-288'] });
    expect(run.probes).toHaveLength(1);
    expect(run.probes[0]).toMatchObject({ ok: false, reason: expect.stringMatching(/cannot load app from/) });
  });
  it('selects the probes that exercise a fix', () => {
    expect(probesFor('cleanup-immediate-then-periodic')).toEqual(['startup-cleanup-immediate', 'periodic-cleanups-continue', 'shutdown-within-one-tick']);
    expect(probesFor('entry-starts-service')).toEqual(['service-entry-starts-cleanup']);
    expect(probesFor('runtime-dependencies')).toEqual(['runtime-imports-from-dependencies']);
  });
});
