import { describe, expect, it } from 'vitest';
import { qaResultFixture } from '../../reports/testing/qa-result-fixture.ts';
import type { QaResult } from '../../reports/schemas/qa-result.ts';
import { computeConfidence, computeScore, coverageOf, decideVerdict, mutationScore } from './verdict.ts';

type Change = (r: QaResult) => void;
const input = (change: Change = () => {}) => {
  const r = qaResultFixture();
  change(r);
  return r;
};

describe('decideVerdict', () => {
  it.each<[string, Change, string, string | null]>([
    ['everything passes', () => {}, 'PASS', null],
    ['a surviving mutant', (r) => {
      r.mutation.survived = 1;
      r.mutation.survivors = [{ id: 'm3', specId: 'cleanup-loop', description: 'if (false)' }];
    }, 'FAIL', 'surviving mutant m3 of cleanup-loop'],
    ['a failed critical spec', (r) => void (r.fixes[0]!.status = 'fail'), 'FAIL', 'critical fix ohlcv-initial-trim failed'],
    ['a failed major spec', (r) => void (r.fixes[1]!.status = 'fail'), 'FAIL', 'major fix cleanup-loop failed'],
    ['a failed minor spec only', (r) => {
      r.fixes[1]!.severity = 'minor';
      r.fixes[1]!.status = 'fail';
    }, 'CONDITIONAL_PASS', 'minor fix cleanup-loop failed'],
    ['a failed probe', (r) => void (r.probes[1]!.ok = false), 'FAIL', 'probe second-and-third-cleanup failed'],
    ['a critical fix not located, its probes passing', (r) => void (r.fixes[0]!.status = 'not-located'), 'CONDITIONAL_PASS', 'fix ohlcv-initial-trim not located by the static engine'],
    ['a critical fix not located and a failed probe', (r) => {
      r.fixes[0]!.status = 'not-located';
      r.probes[1]!.ok = false;
    }, 'FAIL', 'probe second-and-third-cleanup failed'],
    ['a soak below the bar', (r) => {
      if (r.soak.ran) Object.assign(r.soak, { ok: false, ratio: 4, message: 'grew only 4.0× faster' });
    }, 'FAIL', 'soak: grew only 4.0× faster'],
    ['a skipped soak', (r) => void (r.soak = { ran: false, reason: '--no-soak' }), 'CONDITIONAL_PASS', 'memory soak not run: --no-soak'],
    ['a false alarm', (r) => void (r.equivalents[0]!.falseAlarm = true), 'CONDITIONAL_PASS', 'false alarm on equivalent rewrite if-else-inverted'],
  ])('%s -> %s', (_name, change, verdict, reason) => {
    const decided = decideVerdict(input(change));
    expect(decided.verdict).toBe(verdict);
    if (reason === null) expect(decided.reasons).toEqual([]);
    else expect(decided.reasons.join('\n')).toContain(reason);
  });

  it('lists every fatal reason, not just the first', () => {
    const decided = decideVerdict(input((r) => {
      r.fixes[0]!.status = 'fail';
      r.probes[0]!.ok = false;
    }));
    expect(decided.reasons).toHaveLength(2);
  });
});

describe('confidence', () => {
  it('counts only fixes proven by a static check, a killed mutant and a passing probe', () => {
    const r = qaResultFixture();
    const probes = r.probes;
    expect(coverageOf(r.fixes[0]!, probes)).toEqual({ static: true, mutant: true, probe: true });
    expect(coverageOf({ ...r.fixes[0]!, mutants: { killed: 0, total: 3, survivors: [] } }, probes).mutant).toBe(false);
    expect(coverageOf(r.fixes[0]!, probes.map((p) => ({ ...p, ok: false }))).probe).toBe(false);
    expect(coverageOf({ ...r.fixes[0]!, specId: 'other' }, probes).probe).toBe(false);

    const legs = (s: boolean, m: boolean, p: boolean) => ({ coverage: { static: s, mutant: m, probe: p } });
    expect(computeConfidence([legs(true, true, true), legs(true, true, false), legs(true, false, true), legs(true, true, true)]))
      .toMatchObject({ value: 0.5, covered: 2, total: 4 });
    expect(computeConfidence([]).value).toBe(0);
  });
});

describe('score', () => {
  it('is 10 for a clean run and loses each part by its weight', () => {
    expect(computeScore(input(), 1).value).toBe(10);
    expect(computeScore(input((r) => void (r.soak = { ran: false, reason: 'x' })), 1).value).toBe(8);
    expect(computeScore(input((r) => void (r.fixes[0]!.status = 'fail')), 0.5).value).toBe(8);
    expect(computeScore(input((r) => void (r.mutation.score = 50)), 1).value).toBe(9);
    const parts = computeScore(input((r) => void (r.probes[0]!.ok = false)), 1).parts;
    expect(parts.find((p) => p.name === 'probes')).toEqual({ name: 'probes', weight: 2, earned: 1 });
    expect(parts.reduce((s, p) => s + p.weight, 0)).toBe(10);
  });
});

describe('mutationScore', () => {
  it.each([
    [22, 0, 0, 100],
    [20, 1, 1, 95.4],
    [0, 0, 0, 100],
    [2499, 0, 1, 99.9],
    [0, 0, 3, 0],
  ])('killed %d timeout %d survived %d -> %d%%', (k, t, s, score) => expect(mutationScore(k, t, s)).toBe(score));
});
