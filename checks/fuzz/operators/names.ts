import path from 'node:path';
import { Node, SyntaxKind, type Identifier } from 'ts-morph';
import { freshNames, renameAll } from '../../rewrites/rename.ts';
import type { OperatorContext, RefactorOperator } from '../operator-types.ts';

/** Names private to their file or function: what renaming cannot change for any other module or a probe. */
function privateNames(ctx: OperatorContext): Identifier[] {
  return ctx.files().flatMap((sf) =>
    sf.getDescendants().flatMap((d) => {
      if (Node.isVariableDeclaration(d) || Node.isParameterDeclaration(d)) {
        const n = d.getNameNode();
        const exported = Node.isVariableDeclaration(d) && d.getVariableStatement()?.isExported();
        return Node.isIdentifier(n) && !exported && !(Node.isParameterDeclaration(d) && d.isParameterProperty()) ? [n] : [];
      }
      if (Node.isMethodDeclaration(d) && d.hasModifier(SyntaxKind.PrivateKeyword)) return [d.getNameNode()].filter(Node.isIdentifier);
      if (Node.isFunctionDeclaration(d) && !d.isExported()) return d.getNameNode() ?? [];
      return [];
    }),
  );
}

/** An editor's "rename symbol": the declaration and every reference, through the language service. */
export const renameSymbol: RefactorOperator = {
  id: 'rename-symbol',
  description: 'a local, parameter, private method or module function renamed with every reference',
  apply(ctx) {
    const id = ctx.rng.pick(privateNames(ctx));
    if (!id) return false;
    // As an editor does: a shorthand `{ size }` keeps its key (`{ size: sizeR1 }`).
    id.rename(freshNames(id.getSourceFile(), `${id.getText()}R`)(), { renameInComments: false, renameInStrings: false, usePrefixAndSuffixText: true });
    return true;
  },
};

/** `import { X } from …` → `import { X as XAliasN } from …`, every use in the file following. */
export const importAlias: RefactorOperator = {
  id: 'import-alias',
  description: 'a named import taken under another name',
  apply(ctx) {
    const spec = ctx.rng.pick(ctx.files().flatMap((sf) => sf.getImportDeclarations().flatMap((d) => d.getNamedImports()).filter((s) => !s.getAliasNode())));
    if (!spec) return false;
    return renameAll(ctx.project, [{ name: spec.getNameNode(), to: freshNames(spec.getSourceFile(), `${spec.getName()}Alias`)() }]).length > 0;
  },
};

/** An editor's "move file": renamed or moved to a sibling folder, every import of it updated. */
export const moveFile: RefactorOperator = {
  id: 'move-file',
  description: 'a source file renamed or moved to another folder of app/, imports updated',
  apply(ctx) {
    const files = ctx.files();
    const sf = ctx.rng.pick(files.filter((f) => f.getBaseName() !== 'main.ts'));
    if (!sf) return false;
    const dirs = [...new Set(files.map((f) => f.getDirectoryPath()))];
    const dir = ctx.rng.next() < 0.5 ? sf.getDirectoryPath() : (ctx.rng.pick(dirs) ?? sf.getDirectoryPath());
    const target = path.join(dir, `${sf.getBaseNameWithoutExtension()}-moved.ts`);
    if (ctx.project.getSourceFile(target)) return false;
    sf.move(target);
    // ts-morph rewrites the specifiers without the extension; the project imports with `.ts` (NodeNext).
    const decls = [...sf.getImportDeclarations(), ...sf.getExportDeclarations(), ...sf.getReferencingNodesInOtherSourceFiles()];
    for (const d of decls) {
      if (!Node.isImportDeclaration(d) && !Node.isExportDeclaration(d)) continue;
      const spec = d.getModuleSpecifierValue();
      if (spec?.startsWith('.') && !spec.endsWith('.ts')) d.setModuleSpecifier(`${spec}.ts`);
    }
    return true;
  },
};
