import path from 'node:path';
import { Project, type SourceFile } from 'ts-morph';

/**
 * app/ (tests included, so a moved file's test imports follow it) in ONE ts-morph Project with the repo's
 * compiler options: variants are made in memory and type-checked incrementally, then the project is put
 * back as it was for the next variant (a fresh program per variant would cost the cold check each time).
 */
export interface FuzzProject {
  readonly project: Project;
  root: string;
  /** The service's files an operator may edit. */
  editable(): SourceFile[];
  /** Root-relative path → text of every file that differs from the pristine tree, and the files gone. */
  changes(): { changed: Map<string, string>; removed: string[] };
  reset(): void;
}

/** Not refactored: tests and test support (they pin the API), the emulator and the benches (not the service). */
const FROZEN = [/\.test\.ts$/, /\/testing\//, /^app\/sim\//, /^app\/bench\//, /^app\/build\//];

function appProject(root: string): Project {
  const project = new Project({ tsConfigFilePath: path.join(root, 'tsconfig.json'), skipAddingFilesFromTsConfig: true });
  project.addSourceFilesAtPaths([path.join(root, 'app/**/*.ts')]);
  return project;
}

export function loadFuzzProject(root: string): FuzzProject {
  let project = appProject(root);
  const rel = (sf: SourceFile) => path.relative(root, sf.getFilePath());
  const pristine = new Map(project.getSourceFiles().filter((sf) => rel(sf).startsWith('app/')).map((sf) => [rel(sf), sf.getFullText()]));
  const current = () => project.getSourceFiles().filter((sf) => rel(sf).startsWith('app/'));
  const restore = () => {
    for (const sf of current()) if (!pristine.has(rel(sf))) project.removeSourceFile(sf);
    // A moved file's old path may still answer getSourceFile() while the project no longer lists it.
    const present = new Map(current().map((sf) => [rel(sf), sf]));
    for (const [p, text] of pristine) {
      const sf = present.get(p);
      if (!sf) project.createSourceFile(path.join(root, p), text, { overwrite: true });
      else if (sf.getFullText() !== text) sf.replaceWithText(text);
    }
  };
  return {
    get project() {
      return project;
    },
    root,
    editable: () => current().filter((sf) => !FROZEN.some((re) => re.test(rel(sf)))),
    changes() {
      const changed = new Map<string, string>();
      const present = new Set<string>();
      for (const sf of current()) {
        present.add(rel(sf));
        if (pristine.get(rel(sf)) !== sf.getFullText()) changed.set(rel(sf), sf.getFullText());
      }
      return { changed, removed: [...pristine.keys()].filter((p) => !present.has(p)) };
    },
    reset() {
      try {
        restore();
      } catch {
        // ts-morph can trip over a module specifier it forgot during a move: start again from the disk.
        project = appProject(root);
      }
    },
  };
}
