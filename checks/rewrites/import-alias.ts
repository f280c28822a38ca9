import type { SourceFile } from 'ts-morph';
import { freshNames, renameAll } from './rename.ts';
import type { Rewrite } from './rewrite-types.ts';

/**
 * `import { startService } from …` → `import { startService as imported1 } from …` in every file a spec
 * anchors, values and types alike; each use in the file follows the new name.
 */
export const importAlias: Rewrite = {
  id: 'import-alias',
  description: 'every named import of the anchored files taken under another name (`import { X as Y }`)',
  apply(project, targets) {
    const files = [...new Set(targets.map((t) => t.sf))];
    const requests = files.flatMap((sf: SourceFile) => {
      const next = freshNames(sf, 'imported');
      return sf
        .getImportDeclarations()
        .flatMap((d) => d.getNamedImports())
        .filter((s) => s.getAliasNode() === undefined)
        .map((s) => ({ name: s.getNameNode(), to: next() }));
    });
    return renameAll(project, requests);
  },
};
