import { describe, expect, it } from 'vitest';
import { parseSpecs } from '../engine/spec-schema.ts';
import { reformatText } from '../rewrites/reformat.ts';
import { FIXTURES, FIXTURE_ENTRY, REPO_ROOT, fixtureSpec, storeSpec } from '../testing/fixture-specs.ts';
import type { MutantDef, Operator, RewriteDef } from './mutant-types.ts';
import { mutationScore, runMutants } from './run-mutants.ts';

const specs = parseSpecs([
  { ...storeSpec('Forms', 'hasNot'), id: 'store' },
  fixtureSpec({
    id: 'loop',
    anchor: { declaration: 'good' },
    assert: [
      { kind: 'call-before-loop-and-after-sleep', call: { call: 'cleanup', as: 'cleanup' }, sleep: { call: 'clock.sleep', awaited: true, as: 'sleep' } },
      { kind: 'loop-runs-while-service-runs', loopHolding: { call: 'clock.sleep' } },
    ],
  }),
  fixtureSpec({ id: 'deps', assert: [{ kind: 'dependency-hygiene', entry: 'app/main.ts', require: ['tsx'] }] }),
]);

const m = (id: string, specId: string, operation: MutantDef['operation']): MutantDef => ({ id, specId, operation, killer: 'static' });

/** One mutant per operator, each made from a node the fixture specs located. */
const mutants: MutantDef[] = [
  m('delete', 'store', { op: 'delete', target: 'trim' }),
  m('swap', 'store', { op: 'swap', target: 'trim', other: 'store' }),
  m('if-false', 'store', { op: 'if-false', target: 'trim' }),
  m('early-return', 'store', { op: 'early-return', after: 'trim' }),
  m('empty', 'store', { op: 'empty-branch', target: 'trim' }),
  m('bypass', 'store', { op: 'bypass', target: 'store', from: 'trim' }),
  m('after-loop', 'loop', { op: 'move-after-loop', target: 'cleanup' }),
  m('into-loop', 'loop', { op: 'move-into-loop', target: 'cleanup' }),
  m('flag', 'loop', { op: 'flag-false-at-start' }),
  m('drop-dep', 'deps', { op: 'drop-dependency', pkg: 'zod', to: 'devDependencies' }),
];

const rewrites: RewriteDef[] = [
  { id: 'reformat', specId: 'store', file: `${FIXTURES}/store-forms.ts`, description: 'reprinted at a 4-space indent', rewrite: reformatText },
  { id: 'loop-reformat', specId: 'loop', file: `${FIXTURES}/loops.ts`, description: 'reprinted at a 4-space indent', rewrite: reformatText },
];

describe('mutant operators on fixtures', () => {
  it('every operator is killed by the static checks, and rewrites raise no alarm', async () => {
    const run = await runMutants({ root: REPO_ROOT, entry: FIXTURE_ENTRY, specs, mutants, rewrites, probes: false });
    const byOp = new Map<Operator, string>(run.mutants.map((r) => [mutants.find((d) => d.id === r.id)!.operation.op, r.status]));
    expect(Object.fromEntries(byOp)).toEqual(Object.fromEntries(mutants.map((d) => [d.operation.op, 'killed'])));
    expect(run.mutants.find((r) => r.id === 'after-loop')!.killedBy).toEqual(['loop']);
    expect(run.mutants.find((r) => r.id === 'delete')!.at).toMatch(/store-forms\.ts:\d+:\d+$/);
    expect(run).toMatchObject({ killed: mutants.length, survived: 0, timeout: 0, defects: 0, score: 100 });
    expect(run.equivalents.map((e) => [e.id, e.ok, e.falseAlarms])).toEqual(rewrites.map((r) => [r.id, true, []]));
  });

  it('a mutant the checks cannot see survives; one that cannot be made is a spec defect, not a survivor', async () => {
    const run = await runMutants({
      root: REPO_ROOT,
      entry: FIXTURE_ENTRY,
      specs,
      rewrites: [],
      probes: false,
      mutants: [
        m('harmless', 'store', { op: 'scale', target: 'limit', factor: 1000 }),
        m('missing', 'store', { op: 'delete', target: 'nothing' }),
        { ...m('equiv', 'store', { op: 'bypass', target: 'store', from: 'trim' }), equivalentBecause: 'test' },
        // Renamed, the method is not located: no static verdict, the probes decide (a rename that breaks callers fails them).
        m('rename', 'store', { op: 'rename-anchor' }),
      ],
    });
    expect(run.mutants.map((r) => [r.id, r.status])).toEqual([
      ['harmless', 'survived'],
      ['missing', 'defect'],
      ['equiv', 'excluded'],
      ['rename', 'survived'],
    ]);
    expect(run.mutants[1]!.reason).toMatch(/spec defect: .*did not locate "nothing"/);
    expect(run).toMatchObject({ survived: 2, defects: 1, score: 0 });
  });

  it('scores like Stryker: timeouts count as detected, excluded ones do not count', () => {
    expect(mutationScore(3, 1, 0)).toBe(100);
    expect(mutationScore(1, 0, 1)).toBe(50);
    expect(mutationScore(0, 0, 0)).toBe(0);
  });
});
