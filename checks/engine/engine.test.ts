import { describe, expect, it } from 'vitest';
import { runStaticChecks } from './run-static.ts';
import { parseSpecs, type SpecInput } from './spec-schema.ts';
import { FIXTURES, FIXTURE_ENTRY, REPO_ROOT, checkFixture, limitTrimStore, storeSpec } from '../testing/fixture-specs.ts';

const run = (specs: unknown[]) => runStaticChecks({ root: REPO_ROOT, entry: FIXTURE_ENTRY, specs: parseSpecs(specs) }).findings;

describe('not-cached branch: equivalent forms all pass', () => {
  const forms = ['hasNot', 'hasElse', 'getUndefined', 'getNullLoose', 'getFalsy', 'boundConst', 'inObject', 'earlyReturn', 'doubleNegation', 'hoistedLimit', 'optionalOnNonNull'];
  it.each(forms)('%s', (method) => {
    const findings = run([storeSpec('Forms', method, method === 'inObject' ? 'o' : 'm')]);
    expect(findings.filter((f) => !f.ok)).toEqual([]);
    expect(findings).toHaveLength(2);
  });

  it('points the dominates finding at the trim (1-based line and column)', () => {
    const [dom] = run([storeSpec('Forms', 'hasNot')]);
    expect(dom).toMatchObject({ ok: true, file: `${FIXTURES}/store-forms.ts`, line: 10, col: 23 });
  });
});

describe('dominates / flows-into: broken orders fail', () => {
  const cases: Array<[string, RegExp]> = [
    ['trimUnderIf', /under an if/],
    ['trimAfterStore', /does not run after|not found/],
    ['returnBetween', /between/],
    ['storesRaw', /does not receive/],
    ['trimInCallback', /nested function/],
    ['shortCircuit', /on the right of &&/],
    ['inCachedBranchOnly', /no not-cached-branch region/],
    ['noCacheTest', /no not-cached-branch region/],
    ['reassigned', /reassigned|under an if|does not receive/],
    ['optionalCall', /behind \?\./],
  ];
  it.each(cases)('%s', (method, reason) => {
    const failed = run([storeSpec('Broken', method)]).filter((f) => !f.ok);
    expect(failed.length).toBeGreaterThan(0);
    expect(failed.map((f) => f.message).join(' | ')).toMatch(reason);
  });
});

describe('an anchor nothing has is not located: said with its reason, never a violation', () => {
  it('a renamed method, a missing class or function', () => {
    const findings = run([
      storeSpec('Forms', 'noSuchMethod'),
      { ...storeSpec('Nope', 'hasNot'), id: 'f2' },
      { id: 'f3', title: 't', severity: 'minor', why: 'w', anchor: { declaration: 'gone' }, assert: [{ kind: 'return-shape', keys: ['a'] }] },
    ]);
    expect(findings.map((f) => [f.ok, f.check, f.notLocated])).toEqual([
      [false, 'anchor', true],
      [false, 'anchor', true],
      [false, 'anchor', true],
    ]);
    expect(findings[0]!.message).toMatch(/not located: nothing reached from the service entry declaration Forms#noSuchMethod/);
  });
  it('a malformed spec names the field', () => {
    expect(() => parseSpecs([{ id: 'x', title: 't', severity: 'fatal', why: 'w', file: 'f', assert: [] }])).toThrow(/spec #0: severity/);
    expect(() => parseSpecs([{ id: 'x', title: 't', severity: 'minor', why: 'w', file: 'f', assert: [{ kind: 'dominates', steps: [{ call: 'a', new: 'B' }, { call: 'c' }] }] }])).toThrow(
      /exactly one of call, new or read/,
    );
  });
});

describe('call-before-loop-and-after-sleep + loop-runs-while-service-runs', () => {
  const loopSpec = (fn: string): Pick<SpecInput, 'anchor' | 'assert'> => ({
    anchor: { declaration: fn },
    assert: [
      { kind: 'call-before-loop-and-after-sleep', call: { call: 'cleanup', viaLocalHelper: true }, sleep: { call: 'clock.sleep', awaited: true } },
      { kind: 'loop-runs-while-service-runs', loopHolding: { call: 'clock.sleep' }, onBareFlag: 'fail', probe: 'periodic-cleanups-continue' },
    ],
  });
  it.each(['good', 'viaHelper', 'endlessWithAbortBreak', 'flagSetBefore'])('%s passes', (fn) => {
    expect(checkFixture(loopSpec(fn)).filter((f) => !f.ok)).toEqual([]);
  });
  const broken: Array<[string, RegExp]> = [
    ['flagFalse', /bare flag .*periodic-cleanups-continue/],
    ['noStartup', /before the loop/],
    ['cleanupBeforeSleep', /inside the loop after/],
    ['startupConditional', /under an if/],
    ['sleepNotAwaited', /no loop holding clock.sleep/],
    ['endlessNoExit', /no way out on shutdown/],
  ];
  it.each(broken)('%s fails', (fn, reason) => {
    const failed = checkFixture(loopSpec(fn)).filter((f) => !f.ok);
    expect(failed.map((f) => f.message).join(' | ')).toMatch(reason);
  });
  it('defers a bare flag to the named probe when the spec says so', () => {
    const spec = loopSpec('flagFalse');
    const [, loop] = checkFixture({
      ...spec,
      assert: [spec.assert[0]!, { kind: 'loop-runs-while-service-runs', loopHolding: { call: 'clock.sleep' }, onBareFlag: 'defer-to-probe', probe: 'periodic-cleanups-continue' }],
    });
    expect(loop).toMatchObject({ ok: true, deferredTo: 'periodic-cleanups-continue' });
  });
});

describe('return-shape', () => {
  const shape = (method: string, keys = ['a', 'b', 'c']) =>
    checkFixture({ anchor: { declaration: `Shapes#${method}` }, assert: [{ kind: 'return-shape', keys }] })[0]!;
  it('passes on an annotated interface and on a returned literal', () => {
    expect(shape('annotated').ok).toBe(true);
    expect(shape('literalOnly').ok).toBe(true);
  });
  it('fails naming the missing keys', () => {
    expect(shape('aliasMissing')).toMatchObject({ ok: false, message: expect.stringMatching(/lacks c/) });
    expect(shape('literalMissing')).toMatchObject({ ok: false, message: expect.stringMatching(/lacks b/) });
    expect(shape('nothingToRead').ok).toBe(false);
  });
});

describe('call-after-creation', () => {
  const created = (fn: string, allowedGuards: string[] = []) =>
    checkFixture({
      anchor: { declaration: fn },
      assert: [{ kind: 'call-after-creation', creation: { new: 'Manager' }, call: { call: 'startTask' }, allowedGuards }],
    })[0]!;
  it('passes when created first, behind an allowed opt-out guard', () => {
    expect(created('createdThenStarted', ['enabled'])).toMatchObject({ ok: true });
  });
  it('fails on an unlisted guard, on the wrong order and on a cleared binding', () => {
    expect(created('createdThenStarted').ok).toBe(false);
    expect(created('startedUnderIf').message).toMatch(/under an if/);
    expect(created('startedBeforeCreated').ok).toBe(false);
    expect(created('clearedBetween').message).toMatch(/cleared/);
  });
});

describe('the dominates kind on its own', () => {
  it('needs each step after the previous one', () => {
    const reversed = [...limitTrimStore].reverse();
    const [f] = checkFixture({ anchor: { declaration: 'Forms#hasNot' }, region: { kind: 'not-cached-branch', map: 'm' }, assert: [{ kind: 'dominates', steps: reversed }] });
    expect(f!.ok).toBe(false);
  });
});
