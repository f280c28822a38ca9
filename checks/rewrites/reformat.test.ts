import { expect, it } from 'vitest';
import { appSpecs } from '../fixes/index.ts';
import { ROOT } from '../testing/copy-project.ts';
import { REWRITES } from './index.ts';
import { locatedFiles } from './reformat.ts';
import { applyRewrite, typeErrors } from './load-app.ts';
import { tokens } from './tokens.ts';
import { useAppProject } from './testing/app-project.ts';

const SPEC_FILES = locatedFiles(ROOT, appSpecs);
const app = useAppProject();
const reformat = REWRITES.filter((r) => r.id === 'reformat');

it.each(reformat)('$id re-lays out every file and changes no token', { timeout: 120_000 }, (rewrite) => {
  const changed = applyRewrite(app.project(), ROOT, appSpecs, rewrite);
  expect(changed).toEqual(expect.arrayContaining(SPEC_FILES));
  for (const f of changed) {
    expect(app.textOf(f), f).not.toBe(app.before(f));
    expect(tokens(app.textOf(f)), f).toEqual(tokens(app.before(f)));
  }
  expect(typeErrors(app.project(), ROOT, SPEC_FILES)).toEqual([]);
});

it('the reformat rewrite exists', () => {
  expect(reformat.map((r) => r.id)).toEqual(['reformat']);
});
