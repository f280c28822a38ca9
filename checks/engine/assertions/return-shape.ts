import path from 'node:path';
import { descendantsOf } from '../descendants.ts';
import { Node, type SourceFile } from 'ts-morph';
import { fail, pass } from '../location.ts';
import type { SourceSet } from '../source-set.ts';
import { isFunctionBoundary } from '../control-flow.ts';
import { needsAnchor, type AssertionCheck } from './context.ts';

const unwrap = (n: Node): Node =>
  Node.isParenthesizedExpression(n) || Node.isAsExpression(n) || Node.isSatisfiesExpression(n) ? unwrap(n.getExpression()) : n;

/** Keys of a type node: a literal type, or an interface/type alias found in this file or a relative import. */
function typeKeys(typeNode: Node, sf: SourceFile, sources: SourceSet): string[] | undefined {
  if (Node.isTypeLiteral(typeNode)) return typeNode.getProperties().map((p) => p.getName());
  if (!Node.isTypeReference(typeNode)) return undefined;
  const name = typeNode.getTypeName().getText();
  const local = declaredKeys(sf, name, sources);
  if (local) return local;
  for (const imp of sf.getImportDeclarations()) {
    const spec = imp.getModuleSpecifierValue();
    if (!spec.startsWith('.') || !imp.getNamedImports().some((n) => (n.getAliasNode() ?? n.getNameNode()).getText() === name)) continue;
    const rel = path.posix.normalize(path.posix.join(path.posix.dirname(path.relative(sources.root, sf.getFilePath())), spec));
    const target = sources.sourceFile(rel);
    if (target) return declaredKeys(target, name, sources);
  }
  return undefined;
}

function declaredKeys(sf: SourceFile, name: string, sources: SourceSet): string[] | undefined {
  const iface = sf.getInterface(name);
  if (iface) return iface.getProperties().map((p) => p.getName());
  const alias = sf.getTypeAlias(name)?.getTypeNode();
  return alias ? typeKeys(alias, sf, sources) : undefined;
}

/** Object literals the method returns, directly or through a local const. */
function returnedLiterals(body: Node): Node[] {
  const out: Node[] = [];
  body.forEachDescendant((d, walk) => {
    if (isFunctionBoundary(d)) {
      walk.skip();
      return undefined;
    }
    if (!Node.isReturnStatement(d) || !d.getExpression()) return undefined;
    let e = unwrap(d.getExpression()!);
    if (Node.isIdentifier(e)) {
      const decl = descendantsOf(body).filter(Node.isVariableDeclaration).find((v) => v.getName() === e.getText());
      const init = decl?.getInitializer();
      if (init) e = unwrap(init);
    }
    if (Node.isObjectLiteralExpression(e)) out.push(e);
    return undefined;
  });
  return out;
}

const literalKeys = (lit: Node) =>
  Node.isObjectLiteralExpression(lit)
    ? lit.getProperties().flatMap((p) => (Node.isPropertyAssignment(p) || Node.isShorthandPropertyAssignment(p) || Node.isMethodDeclaration(p) ? [p.getName()] : []))
    : [];

/** The method's result has the given keys, by its annotation and by every object literal it returns. */
export const returnShape: AssertionCheck<'return-shape'> = (a, ctx) => {
  const c = needsAnchor(ctx);
  if (!c) return fail('return-shape needs an anchor');
  const annotation = Node.isMethodDeclaration(c.fn) || Node.isFunctionDeclaration(c.fn) ? c.fn.getReturnTypeNode() : undefined;
  const missingIn = (keys: string[]) => a.keys.filter((k) => !keys.includes(k));
  if (annotation) {
    const keys = typeKeys(annotation, c.sf, c.sources);
    if (!keys) return fail(`cannot read the keys of return type ${annotation.getText()}`, annotation);
    const missing = missingIn(keys);
    if (missing.length > 0) return fail(`return type ${annotation.getText()} lacks ${missing.join(', ')}`, annotation);
  }
  const literals = returnedLiterals(c.body);
  for (const lit of literals) {
    const missing = missingIn(literalKeys(lit));
    if (missing.length > 0) return fail(`returned object lacks ${missing.join(', ')}`, lit);
  }
  if (!annotation && literals.length === 0) return fail('no return type annotation and no returned object literal to check', c.fn);
  return pass(`returns ${a.keys.join(', ')}`, annotation ?? literals[0]);
};
