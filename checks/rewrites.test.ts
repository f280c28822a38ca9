// @module-tag e2e
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { appSpecs } from './fixes/index.ts';
import { REWRITES } from './rewrites/index.ts';
import { applyRewrite, loadApp, typeErrors } from './rewrites/load-app.ts';
import { copyProject, qa, qaResultOf, removeCopies } from './testing/copy-project.ts';

/**
 * No false alarm on a refactor: every rewrite of checks/rewrites/ applied to ONE copy of the project
 * (each finds its targets again in what the earlier ones left), then `npm run qa -- --no-soak` on it.
 * The rewritten tree keeps every fix, so QA must pass with no failed fix, no surviving mutant and no
 * spec defect. (checks/qa.test.ts is the other half: a fix really removed fails and is named.)
 */
const copies: string[] = [];
afterAll(() => removeCopies(copies));

/**
 * The property engine (issue #19) still loses its place after these three rewrites: the specs are then
 * "not located" and their mutants become spec defects (CONDITIONAL PASS, never FAIL). They are tried on
 * their own copy below as a known failure, so the day the engine reads them the test says so.
 */
const LOSES_THE_ENGINE = new Set(['extract-branch', 'import-alias', 'rename-locals']);

async function qaAfter(rewrites: typeof REWRITES) {
  const dir = await copyProject(copies);
  const project = loadApp(dir);
  const applied = rewrites.map((r) => ({ id: r.id, files: applyRewrite(project, dir, appSpecs, r) }));
  expect(applied.filter((a) => a.files.length === 0).map((a) => a.id), 'rewrites that changed nothing').toEqual([]);
  await project.save();

  const run = qa(dir, ['--no-soak', '--json', '--out', join(dir, 'out')]);
  const errors = typeErrors(project, dir, [...new Set(applied.flatMap((a) => a.files))]);
  const out = await run;
  expect(errors).toEqual([]);
  expect(out.stdout, out.stderr).not.toBe('');
  const result = qaResultOf(out.stdout);
  expect(out.code, result.verdictReasons.join('\n')).toBe(0);
  expect(result.fixes.filter((f) => f.status === 'fail').map((f) => f.specId)).toEqual([]);
  expect(result.mutation.survivors.map((m) => m.id)).toEqual([]);
  expect((result.mutation.defects ?? []).map((m) => `${m.id}: ${m.reason}`)).toEqual([]);
  expect(result.equivalents.filter((e) => e.falseAlarm).map((e) => e.message)).toEqual([]);
  expect(result.mutation.killed).toBeGreaterThan(0);
}

describe('npm run qa on a refactored copy of app/', { timeout: 600_000 }, () => {
  it('passes: every fix holds and every mutant is killed', async () => {
    await qaAfter(REWRITES.filter((r) => !LOSES_THE_ENGINE.has(r.id)));
  });

  it.fails('after the rewrites the engine cannot read yet (known, issue #19)', async () => {
    await qaAfter(REWRITES.filter((r) => LOSES_THE_ENGINE.has(r.id)));
  });
});
