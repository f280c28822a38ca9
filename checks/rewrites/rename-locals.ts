import { Node, type SourceFile } from 'ts-morph';
import { freshNames, renameAll, type RenameRequest } from './rename.ts';
import type { Rewrite } from './rewrite-types.ts';
import { distinctFunctions } from './targets.ts';

/** A local, a parameter or a destructured binding declared in `fn` (top-level exports of a module stay). */
function declaredNames(fn: Node): Node[] {
  const own = Node.isSourceFile(fn) ? [] : ((fn as Node & { getParameters?: () => Node[] }).getParameters?.() ?? []);
  return [...own, ...fn.getDescendants()]
    .filter((d) => Node.isParameterDeclaration(d) || Node.isVariableDeclaration(d) || Node.isBindingElement(d))
    .filter((d) => !(Node.isVariableDeclaration(d) && d.getVariableStatement()?.isExported()))
    .map((d) => (d as Node & { getNameNode(): Node }).getNameNode())
    .filter((name) => Node.isIdentifier(name));
}

export const renameLocals: Rewrite = {
  id: 'rename-locals',
  description: 'every local and parameter of each anchored function renamed (v1, v2, …)',
  apply(project, targets) {
    const names = new Map<SourceFile, () => string>();
    const requests: RenameRequest[] = distinctFunctions(targets).flatMap((t) => {
      const next = names.get(t.sf) ?? freshNames(t.sf, 'v');
      names.set(t.sf, next);
      return [...new Set(declaredNames(t.fn))].map((name) => ({ name, to: next() }));
    });
    return renameAll(project, requests);
  },
};
