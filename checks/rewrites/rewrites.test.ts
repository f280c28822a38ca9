import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { Project } from 'ts-morph';
import { appSpecs } from '../fixes/index.ts';
import { ROOT } from '../testing/copy-project.ts';
import { REWRITES } from './index.ts';
import { locatedFiles } from './reformat.ts';
import { applyRewrite, loadApp, typeErrors } from './load-app.ts';
import { tokens } from './tokens.ts';

/**
 * Each rewrite alone, on app/ in memory (never saved): it must change the code it is about, and the
 * result must typecheck. checks/rewrites.test.ts then runs QA on all of them at once.
 */
/** The files the specs were located in, by the engine's walk from the entry. */
const SPEC_FILES = locatedFiles(ROOT, appSpecs);

let project: Project;
let pristine: Map<string, string>;
beforeAll(() => {
  project = loadApp(ROOT);
  pristine = new Map(project.getSourceFiles().map((sf) => [sf.getFilePath(), sf.getFullText()]));
});
afterEach(() => {
  for (const sf of project.getSourceFiles()) {
    const text = pristine.get(sf.getFilePath());
    if (text !== undefined && sf.getFullText() !== text) sf.replaceWithText(text);
  }
});

const textOf = (rel: string) => project.getSourceFileOrThrow(`${ROOT}${rel}`).getFullText();
const before = (rel: string) => pristine.get(`${ROOT}${rel}`);

describe('each behaviour-preserving rewrite', { timeout: 120_000 }, () => {
  it.each(REWRITES.filter((r) => r.id !== 'reformat'))('$id changes the anchored code and still typechecks', (rewrite) => {
    const changed = applyRewrite(project, ROOT, appSpecs, rewrite);
    expect(changed.length, `${rewrite.id} changed nothing`).toBeGreaterThan(0);
    expect(changed.filter((f) => !SPEC_FILES.includes(f)), 'only files a spec anchors').toEqual([]);
    for (const f of changed) expect(textOf(f), f).not.toBe(before(f));
    expect(typeErrors(project, ROOT, changed)).toEqual([]);
  });

  it('reformat re-lays out every file and changes no token', () => {
    const changed = applyRewrite(project, ROOT, appSpecs, REWRITES.find((r) => r.id === 'reformat')!);
    expect(changed).toEqual(expect.arrayContaining(SPEC_FILES));
    for (const f of changed) {
      expect(textOf(f), f).not.toBe(before(f));
      expect(tokens(textOf(f)), f).toEqual(tokens(before(f)!));
    }
    expect(typeErrors(project, ROOT, SPEC_FILES)).toEqual([]);
  });
});
