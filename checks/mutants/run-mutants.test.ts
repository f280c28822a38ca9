import { describe, expect, it } from 'vitest';
import { parseSpecs } from '../engine/spec-schema.ts';
import { FIXTURES, REPO_ROOT, fixtureSpec, storeSpec } from '../testing/fixture-specs.ts';
import type { MutantDef, Operator, RewriteDef } from './mutant-types.ts';
import { mutationScore, runMutants } from './run-mutants.ts';

const specs = parseSpecs([
  { ...storeSpec('store-forms.ts', 'Forms', 'hasNot'), id: 'store' },
  fixtureSpec({
    id: 'loop',
    file: `${FIXTURES}/loops.ts`,
    anchor: { function: 'good' },
    assert: [
      { kind: 'call-before-loop-and-after-sleep', call: { call: 'cleanup' }, sleep: { call: 'clock.sleep', awaited: true } },
      { kind: 'loop-runs-while-service-runs', loopHolding: { call: 'clock.sleep' } },
    ],
  }),
  fixtureSpec({ id: 'deps', file: 'package.json', assert: [{ kind: 'dependency-hygiene', entry: 'app/main.ts', require: ['tsx'] }] }),
]);

const trim = { step: { call: '.slice' } };
const cleanup = { step: { call: 'cleanup' } };
const m = (id: string, specId: string, operation: MutantDef['operation']): MutantDef => ({ id, specId, operation, killer: 'static' });

const mutants: MutantDef[] = [
  m('delete', 'store', { op: 'delete-statement', target: trim }),
  m('swap', 'store', { op: 'swap-order', target: trim, other: { step: { call: 'this.m.set' } } }),
  m('if-false', 'store', { op: 'wrap-if-false', target: trim }),
  m('early-return', 'store', { op: 'insert-early-return', after: trim }),
  m('empty', 'store', { op: 'empty-branch', target: trim }),
  m('rename', 'store', { op: 'rename-anchor' }),
  m('after-loop', 'loop', { op: 'move-after-loop', target: cleanup, loop: { call: 'clock.sleep' } }),
  m('into-loop', 'loop', { op: 'move-into-loop', target: cleanup, loop: { call: 'clock.sleep' } }),
  m('flag', 'loop', { op: 'replace-text', find: 'while (!signal.aborted) {\n    await clock.sleep(1000, signal);\n    cleanup();', replace: 'while (running) {\n    await clock.sleep(1000, signal);\n    cleanup();' }),
  m('drop-dep', 'deps', { op: 'drop-dependency', pkg: 'zod', to: 'devDependencies' }),
];

const rewrites: RewriteDef[] = [
  { id: 'invert', specId: 'store', description: 'if inverted', operation: { op: 'invert-if', map: 'm' } },
  { id: 'reformat', specId: 'store', description: 'reprinted', operation: { op: 'reformat' } },
  { id: 'extra', specId: 'store', description: 'extra statement', operation: { op: 'insert-statement', after: { step: { call: 'this.limitOf' } }, text: 'void 0;' } },
];

describe('mutant operators on fixtures', () => {
  it('every operator is killed by the static checks, and rewrites raise no alarm', async () => {
    const run = await runMutants({ root: REPO_ROOT, specs, mutants, rewrites, probes: false });
    const byOp = new Map<Operator, string>(run.mutants.map((r) => [mutants.find((d) => d.id === r.id)!.operation.op, r.status]));
    expect(Object.fromEntries(byOp)).toEqual(Object.fromEntries(mutants.map((d) => [d.operation.op, 'killed'])));
    expect(run.mutants.find((r) => r.id === 'after-loop')!.killedBy).toEqual(['loop']);
    expect(run).toMatchObject({ killed: mutants.length, survived: 0, timeout: 0, score: 100 });
    expect(run.equivalents.map((e) => [e.id, e.ok, e.falseAlarms])).toEqual(rewrites.map((r) => [r.id, true, []]));
  });

  it('a mutant that changes nothing the spec reads survives, and one that cannot apply is named', async () => {
    const run = await runMutants({
      root: REPO_ROOT,
      specs,
      rewrites: [],
      probes: false,
      mutants: [
        m('harmless', 'store', { op: 'insert-statement', after: trim, text: 'void 1;' }),
        m('missing', 'store', { op: 'replace-text', find: 'no such text', replace: 'x' }),
        { ...m('equiv', 'store', { op: 'rename-anchor' }), equivalentBecause: 'test' },
      ],
    });
    expect(run.mutants.map((r) => [r.id, r.status])).toEqual([
      ['harmless', 'survived'],
      ['missing', 'survived'],
      ['equiv', 'excluded'],
    ]);
    expect(run.mutants[1]!.reason).toMatch(/occurs 0 times/);
    expect(run.score).toBe(0);
  });

  it('scores like Stryker: timeouts count as detected, excluded ones do not count', () => {
    expect(mutationScore(3, 1, 0)).toBe(100);
    expect(mutationScore(1, 0, 1)).toBe(50);
    expect(mutationScore(0, 0, 0)).toBe(0);
  });
});
