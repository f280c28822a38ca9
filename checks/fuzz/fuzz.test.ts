// @module-tag e2e
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ROOT } from '../testing/copy-project.ts';
import { loadFuzzProject, type FuzzProject } from './fuzz-project.ts';
import { judgeRefactor } from './one-refactor.ts';
import { sleepIntoClosure } from './operators/functions.ts';
import { moveFile } from './operators/names.ts';
import { extractToModule, guardTrim } from './operators/values.ts';
import type { RefactorOperator } from './operator-types.ts';
import { runFuzz } from './run-fuzz.ts';

/**
 * No false alarm on a refactor, measured: seeded variants of app/ (each typechecks) judged by the static
 * stage and the in-process probes. The named refactors are
 * pinned below; hand edits that really remove a fix must still be named.
 */
let fp: FuzzProject;
beforeAll(() => {
  fp = loadFuzzProject(ROOT);
});
afterAll(() => fp.reset());

describe('the refactors that used to FAIL QA', { timeout: 120_000 }, () => {
  const cases: Array<[string, RefactorOperator, string]> = [
    ['the first-insert trim in the guard form', guardTrim, 'manager/market-data-manager.ts'],
    ['the trim in a helper of its own module', extractToModule, 'manager/market-data-manager.ts'],
    ["the loop's sleep in a closure", sleepIntoClosure, 'cleanup/periodic-memory-cleanup.ts'],
    ['the cleanup file moved, imports updated', moveFile, 'cleanup/periodic-memory-cleanup.ts'],
  ];
  it.each(cases)('%s: every fix located and holding, every probe passing', async (_name, op, file) => {
    const r = await judgeRefactor(fp, op, file);
    expect(r.applied).toBe(true);
    expect(r.verdict?.violations).toEqual([]);
    expect(r.verdict?.notLocated).toEqual([]);
    expect(r.verdict?.failedProbes).toEqual([]);
  });

  it('a moved file: the findings name its new place', async () => {
    const r = await judgeRefactor(fp, moveFile, 'cleanup/periodic-memory-cleanup.ts');
    const moved = r.changed.find((f) => f.endsWith('-moved.ts'));
    expect(r.verdict?.findings.filter((f) => f.specId === 'cleanup-immediate-then-periodic').map((f) => f.file)).toContain(moved);
  });
});

describe('hand edits that really remove a fix', { timeout: 120_000 }, () => {
  const removal = (name: string, file: string, from: string, to: string): RefactorOperator => ({
    id: name,
    description: name,
    apply: (ctx) => {
      const sf = ctx.files().find((f) => f.getFilePath().endsWith(file));
      if (!sf?.getFullText().includes(from)) return false;
      sf.replaceWithText(sf.getFullText().replace(from, to));
      return true;
    },
  });
  it.each([
    ['first-insert trim deleted', 'ohlcv-initial-trim', removal('no-trim', 'manager/market-data-manager.ts', 'rows.slice(-limit)', 'rows')],
    ['periodic cleanup deleted', 'cleanup-immediate-then-periodic', removal('no-periodic', 'cleanup/periodic-memory-cleanup.ts', "runOnce('periodic');", '')],
  ])('%s: FAIL naming %s', async (_name, specId, op) => {
    const r = await judgeRefactor(fp, op, '.ts');
    expect(r.verdict?.violations.map((f) => f.specId)).toContain(specId);
  });
});

describe('the refactor fuzzer', { timeout: 1_200_000 }, () => {
  // Gated by tsc only: app's unit tests per variant cost 20-60 s each on 2 cores, beyond CI's budget for
  // 30 variants. `npm run qa:fuzz` runs the full gate.
  it('raises no false alarm on 30 seeded variants that typecheck', async () => {
    const r = await runFuzz({ root: ROOT, n: 30, seed: 1, unitTests: false });
    expect(r.counted).toBe(30);
    expect(r.falseAlarms.map((a) => `seed ${a.seed} [${a.ops.join(', ')}]: ${a.reasons.join('; ')}\n${a.diff}`)).toEqual([]);
    expect(Object.keys(r.byOperator).length).toBeGreaterThanOrEqual(8);
  });
});
