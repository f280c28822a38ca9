import { afterEach, beforeAll } from 'vitest';
import type { Project } from 'ts-morph';
import { ROOT } from '../../testing/copy-project.ts';
import { loadApp } from '../load-app.ts';

/**
 * app/ loaded once per test file, in memory (never saved), and put back after each test, so each rewrite
 * is tried alone on the pristine tree. Rewrite tests are split over files to run on both cores.
 */
export function useAppProject() {
  let project: Project | undefined;
  let pristine = new Map<string, string>();
  beforeAll(() => {
    project = loadApp(ROOT);
    pristine = new Map(project.getSourceFiles().map((sf) => [sf.getFilePath(), sf.getFullText()]));
  });
  afterEach(() => {
    for (const sf of current().getSourceFiles()) {
      const text = pristine.get(sf.getFilePath());
      if (text !== undefined && sf.getFullText() !== text) sf.replaceWithText(text);
    }
  });
  const current = (): Project => {
    if (!project) throw new Error('useAppProject: the project loads in beforeAll');
    return project;
  };
  return {
    project: current,
    textOf: (rel: string) => current().getSourceFileOrThrow(`${ROOT}${rel}`).getFullText(),
    before: (rel: string) => pristine.get(`${ROOT}${rel}`) ?? '',
  };
}
