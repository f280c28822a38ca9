import { Node } from 'ts-morph';
import { resolverOf } from './symbols.ts';

export const bodyOf = (fn: Node): Node | undefined => (fn as Node & { getBody?: () => Node | undefined }).getBody?.();

/** What a call resolves to (through the type checker, any module), when it is a function with a body. */
export function calleeBody(call: Node): Node | undefined {
  if (!Node.isCallExpression(call)) return undefined;
  return resolverOf(call)
    .declarations(call.getExpression())
    .map((d) => (Node.isVariableDeclaration(d) || Node.isPropertyDeclaration(d) ? d.getInitializer() : d))
    .find((d): d is Node => d !== undefined && (Node.isFunctionDeclaration(d) || Node.isMethodDeclaration(d) || Node.isArrowFunction(d) || Node.isFunctionExpression(d)) && bodyOf(d) !== undefined);
}

/** Return statements of a function's own body (not of functions nested in it). */
export function ownReturns(fn: Node, isBoundary: (n: Node) => boolean): Node[] {
  const out: Node[] = [];
  fn.forEachDescendant((d, walk) => {
    if (d !== fn && isBoundary(d)) return walk.skip();
    if (Node.isReturnStatement(d)) out.push(d);
    return undefined;
  });
  return out;
}
