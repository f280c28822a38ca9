import { descendantsOf } from '../descendants.ts';
import { Node } from 'ts-morph';
import { fail, pass } from '../location.ts';
import { isFunctionBoundary } from '../control-flow.ts';
import { resolverOf } from '../symbols.ts';
import { needsAnchor, type AssertionCheck } from './context.ts';

const unwrap = (n: Node): Node =>
  Node.isParenthesizedExpression(n) || Node.isAsExpression(n) || Node.isSatisfiesExpression(n) ? unwrap(n.getExpression()) : n;

/**
 * Keys of the annotated return type, from the type checker: the same whether the type is declared here,
 * imported (under any alias) or zod-inferred. A mutant's copy of the annotation answers from the original.
 */
function typeKeys(typeNode: Node): string[] | undefined {
  const t = resolverOf(typeNode).canonical(typeNode).getType();
  if (t.isAny() || t.isUnknown()) return undefined;
  const keys = t.getProperties().map((p) => p.getName());
  return keys.length > 0 ? keys : undefined;
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
    const keys = typeKeys(annotation);
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
  const first = literals[0];
  const props = first && Node.isObjectLiteralExpression(first) ? first.getProperties() : [];
  const located = Object.fromEntries(props.flatMap((p) => (Node.isPropertyAssignment(p) || Node.isShorthandPropertyAssignment(p) ? [[`key:${p.getName()}`, p]] : [])));
  return pass(`returns ${a.keys.join(', ')}`, annotation ?? literals[0], located);
};
