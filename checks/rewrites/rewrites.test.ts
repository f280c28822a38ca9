import { describe, expect, it } from 'vitest';
import { appSpecs } from '../fixes/index.ts';
import { ROOT } from '../testing/copy-project.ts';
import { REWRITES } from './index.ts';
import { locatedFiles } from './reformat.ts';
import { applyRewrite, typeErrors } from './load-app.ts';
import { useAppProject } from './testing/app-project.ts';

/**
 * Each rewrite alone, on app/ in memory: it must change the code it is about, and the result must
 * typecheck. checks/rewrites.test.ts then runs QA on all of them at once; reformat.test.ts tries the one
 * that re-lays out every file.
 */
/** The files the specs were located in, by the engine's walk from the entry. */
const SPEC_FILES = locatedFiles(ROOT, appSpecs);
const app = useAppProject();

describe('each behaviour-preserving rewrite', { timeout: 120_000 }, () => {
  it.each(REWRITES.filter((r) => r.id !== 'reformat'))('$id changes the anchored code and still typechecks', (rewrite) => {
    const changed = applyRewrite(app.project(), ROOT, appSpecs, rewrite);
    expect(changed.length, `${rewrite.id} changed nothing`).toBeGreaterThan(0);
    expect(changed.filter((f) => !SPEC_FILES.includes(f)), 'only files a spec anchors').toEqual([]);
    for (const f of changed) expect(app.textOf(f), f).not.toBe(app.before(f));
    expect(typeErrors(app.project(), ROOT, changed)).toEqual([]);
  });
});
