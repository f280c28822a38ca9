import { Project } from 'ts-morph';
import { resolveAnchor } from '../engine/anchor.ts';
import { sourceSetFor, type SourceSet } from '../engine/source-set.ts';
import type { Spec } from '../engine/spec-schema.ts';
import type { RewriteDef } from '../mutants/mutant-types.ts';
import type { Rewrite } from './rewrite-types.ts';

/** The TypeScript formatter at a 4-space indent: layout changes everywhere, meaning nowhere. */
export const FOUR_SPACES = { indentSize: 4, tabSize: 4, convertTabsToSpaces: true } as const;

const scratch = new Project({ useInMemoryFileSystem: true, skipLoadingLibFiles: true });

export function reformatText(text: string, file: string): string {
  const sf = scratch.createSourceFile(`/r/${file}`, text, { overwrite: true });
  sf.formatText(FOUR_SPACES);
  const out = sf.getFullText();
  scratch.removeSourceFile(sf);
  return out;
}

/** Each file a spec was located in (by the engine's walk from the entry), with the first spec located there. */
export function locatedFiles(root: string, specs: readonly Spec[]): string[] {
  return [...new Set(specFiles(sourceSetFor(root), specs).map((f) => f.file))];
}

function specFiles(sources: SourceSet, specs: readonly Spec[]): Array<{ file: string; specId: string }> {
  return specs.flatMap((spec) => {
    const a = spec.anchor ? resolveAnchor(sources, spec.anchor) : undefined;
    return a?.ok ? a.sites.flatMap((s) => {
      const file = sources.relativeOf(s.fn.getSourceFile());
      return file?.endsWith('.ts') ? [{ file, specId: spec.id }] : [];
    }) : [];
  });
}

/** One in-process rewrite per file a spec holds in: the QA run's own false-alarm check (checks/rewrites.test.ts goes further). */
export function reformatRewrites(sources: SourceSet, specs: readonly Spec[]): RewriteDef[] {
  const seen = new Set<string>();
  return specFiles(sources, specs)
    .filter((s) => !seen.has(s.file) && seen.add(s.file))
    .map((s) => ({ id: `${s.file}/reformat-4-spaces`, specId: s.specId, file: s.file, description: `${s.file} reformatted at a 4-space indent`, rewrite: reformatText }));
}

/** Every source file of the project (not libraries or declarations) through the formatter. */
export const reformat: Rewrite = {
  id: 'reformat',
  description: 'every file reprinted by the TypeScript formatter at a 4-space indent',
  apply(project) {
    return project
      .getSourceFiles()
      .filter((sf) => !sf.isDeclarationFile() && !sf.isInNodeModules())
      .filter((sf) => {
        const before = sf.getFullText();
        sf.formatText(FOUR_SPACES);
        return sf.getFullText() !== before;
      });
  },
};
