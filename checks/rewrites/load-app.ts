import path from 'node:path';
import { Project, ts } from 'ts-morph';
import type { Spec } from '../engine/spec-schema.ts';
import type { Rewrite } from './rewrite-types.ts';
import { anchoredTargets } from './targets.ts';

/** app/ of `root` (tests left out) in a Project with the repo's compiler options: what the rewrites edit. */
export function loadApp(root: string): Project {
  const project = new Project({ tsConfigFilePath: path.join(root, 'tsconfig.json'), skipAddingFilesFromTsConfig: true });
  project.addSourceFilesAtPaths([path.join(root, 'app/**/*.ts'), `!${path.join(root, 'app/**/*.test.ts')}`]);
  return project;
}

/** Applies `rewrite`, anchors found again in the current tree; returns the root-relative files it changed. */
export function applyRewrite(project: Project, root: string, specs: readonly Spec[], rewrite: Rewrite): string[] {
  const changed = rewrite.apply(project, anchoredTargets(project, root, specs));
  return [...new Set(changed.map((sf) => path.relative(root, sf.getFilePath())))].sort();
}

/**
 * TS1470 (import.meta in a CommonJS file): ts-morph hands the program source files without the ES module
 * format that package.json "type": "module" gives them; `tsc` accepts those files.
 */
const HOST_ARTEFACTS = new Set([1470]);

/** Compiler errors in `files` (root-relative; syntax and types), one line each: empty when they typecheck. */
export function typeErrors(project: Project, root: string, files: readonly string[]): string[] {
  const program = project.getProgram().compilerObject;
  return files.flatMap((rel) => {
    const file = program.getSourceFile(path.join(root, rel));
    if (!file) return [`${rel}: not in the program`];
    const diagnostics = [...program.getSyntacticDiagnostics(file), ...program.getSemanticDiagnostics(file)];
    return diagnostics.filter((d) => !HOST_ARTEFACTS.has(d.code)).map((d) => {
      const { line } = d.start === undefined ? { line: 0 } : file.getLineAndCharacterOfPosition(d.start);
      return `${rel}:${line + 1}: ${ts.flattenDiagnosticMessageText(d.messageText, ' ')}`;
    });
  });
}
