import { Node, SyntaxKind, type Statement } from 'ts-morph';
import { calleeBody, ownReturns } from './callee.ts';
import { resolverOf } from './symbols.ts';

/**
 * Syntactic control flow: enough to say "runs unconditionally, in this order, with nothing leaving in
 * between" without a type checker. Conservative: anything that may skip a node makes it conditional.
 */

export const isFunctionBoundary = (n: Node) =>
  Node.isArrowFunction(n) ||
  Node.isFunctionExpression(n) ||
  Node.isFunctionDeclaration(n) ||
  Node.isMethodDeclaration(n) ||
  Node.isConstructorDeclaration(n) ||
  Node.isGetAccessorDeclaration(n) ||
  Node.isSetAccessorDeclaration(n) ||
  Node.isClassDeclaration(n) ||
  Node.isClassExpression(n);

const isLoop = (n: Node) =>
  Node.isWhileStatement(n) ||
  Node.isDoStatement(n) ||
  Node.isForStatement(n) ||
  Node.isForOfStatement(n) ||
  Node.isForInStatement(n);

const SHORT_CIRCUIT = new Set([
  SyntaxKind.AmpersandAmpersandToken,
  SyntaxKind.BarBarToken,
  SyntaxKind.QuestionQuestionToken,
  SyntaxKind.AmpersandAmpersandEqualsToken,
  SyntaxKind.BarBarEqualsToken,
  SyntaxKind.QuestionQuestionEqualsToken,
]);

/** Why `child` (a direct child of `parent`) may not run when `parent` runs; undefined when it always runs. */
function guardOf(parent: Node, child: Node): string | undefined {
  if (Node.isIfStatement(parent) && child !== parent.getExpression()) return 'under an if';
  if (Node.isConditionalExpression(parent) && child !== parent.getCondition()) return 'under a ?: branch';
  if (Node.isBinaryExpression(parent) && SHORT_CIRCUIT.has(parent.getOperatorToken().getKind()) && child === parent.getRight())
    return `on the right of ${parent.getOperatorToken().getText()}`;
  if (isLoop(parent)) {
    const once = Node.isWhileStatement(parent) || Node.isForOfStatement(parent) || Node.isForInStatement(parent);
    if (!(once && child === parent.getExpression()) && !(Node.isForStatement(parent) && child === parent.getInitializer()))
      return 'inside a loop';
  }
  if (Node.isCatchClause(parent)) return 'only in a catch';
  if (Node.isCaseClause(parent) || Node.isDefaultClause(parent)) return 'under a switch case';
  if (isFunctionBoundary(parent)) return 'inside a nested function';
  if ((Node.isCallExpression(parent) || Node.isPropertyAccessExpression(parent) || Node.isElementAccessExpression(parent)) &&
    parent.hasQuestionDotToken() && child !== parent.getExpression() && !resolverOf(parent).nonNullable(parent.getExpression()))
    return 'behind ?.';
  return undefined;
}

/** Statements and blocks that leave the current straight-line run: return/throw anywhere, break/continue out of it. */
export function exitIn(stmt: Node): Node | undefined {
  if (isExit(stmt, stmt)) return stmt;
  let found: Node | undefined;
  stmt.forEachDescendant((d, walk) => {
    if (isFunctionBoundary(d)) {
      walk.skip();
      return undefined;
    }
    if (isExit(d, stmt)) {
      found = d;
      walk.stop();
    }
    return undefined;
  });
  return found;
}

/**
 * An exit in `stmt` that comes after `node` (`if (!(await wait())) break;` leaves after its own wait). The
 * catch of a try around `node` is not after it: it runs only when `node` itself failed.
 */
export function exitAfter(stmt: Node, node: Node): Node | undefined {
  let found: Node | undefined;
  stmt.forEachDescendant((d, walk) => {
    if (isFunctionBoundary(d)) return walk.skip();
    const t = Node.isCatchClause(d) ? d.getParent() : undefined;
    if (t && Node.isTryStatement(t) && encloses(t.getTryBlock(), node)) return walk.skip();
    if (d.getStart() >= node.getEnd() && isExit(d, stmt)) {
      found = d;
      walk.stop();
    }
    return undefined;
  });
  return found;
}

function isExit(d: Node, within: Node): boolean {
  if (Node.isReturnStatement(d) || Node.isThrowStatement(d)) return true;
  if (!Node.isBreakStatement(d) && !Node.isContinueStatement(d)) return false;
  if (d.getLabel() || d === within) return true;
  // An unlabelled break/continue only leaves the innermost loop or switch; harmless if that is inside `within`.
  for (let p: Node | undefined = d.getParent(); p && p !== within; p = p.getParent()) {
    if (isLoop(p) || (Node.isSwitchStatement(p) && Node.isBreakStatement(d))) return false;
  }
  return true;
}

/**
 * `a?.b()`, `a.b?.()`, `a?.[k].c()`: some link of the call's own chain may short-circuit it, unless the
 * type checker says the value before that `?.` is never null or undefined.
 */
function optionalChain(node: Node): boolean {
  for (let n: Node = node; ; ) {
    if ((Node.isCallExpression(n) || Node.isPropertyAccessExpression(n) || Node.isElementAccessExpression(n)) && n.hasQuestionDotToken() && !resolverOf(n).nonNullable(n.getExpression())) return true;
    if (Node.isCallExpression(n) || Node.isPropertyAccessExpression(n) || Node.isElementAccessExpression(n) || Node.isNonNullExpression(n)) n = n.getExpression();
    else return false;
  }
}

/**
 * An exit taken only on shutdown: `if (signal.aborted) break;`, or `if (!(await wait())) break;` where
 * `wait` answers false only under such a test. Leaving then is the point.
 */
export function isShutdownExit(exit: Node): boolean {
  for (let p = exit.getParent(); p && !isFunctionBoundary(p); p = p.getParent())
    if (Node.isIfStatement(p) && (/\baborted\b/.test(p.getExpression().getText()) || falseOnlyOnShutdown(p.getExpression()))) return true;
  return false;
}

const unwrapParens = (n: Node): Node => (Node.isParenthesizedExpression(n) ? unwrapParens(n.getExpression()) : n);
const isFalsy = (e: Node | undefined) => e === undefined || ['false', 'undefined', 'null', '0'].includes(e.getText());

/** `!h()` or `!(await h())`, where every falsy return of h is itself a shutdown exit. */
function falseOnlyOnShutdown(cond: Node): boolean {
  const c = unwrapParens(cond);
  if (!Node.isPrefixUnaryExpression(c) || c.getOperatorToken() !== SyntaxKind.ExclamationToken) return false;
  let call = unwrapParens(c.getOperand());
  if (Node.isAwaitExpression(call)) call = unwrapParens(call.getExpression());
  const fn = calleeBody(call);
  if (!fn) return false;
  const falsy = ownReturns(fn, isFunctionBoundary).filter((r) => Node.isReturnStatement(r) && isFalsy(r.getExpression()));
  return falsy.length > 0 && falsy.every(isShutdownExit);
}

/**
 * Climbs from `node` to `stop` (an ancestor). Returns why `node` may not run whenever `stop` runs: a
 * conditional ancestor, or an exit in an earlier sibling of a nested block. undefined: unconditional.
 */
export function conditionBetween(node: Node, stop: Node): { reason: string; at: Node } | undefined {
  if (optionalChain(node)) return { reason: 'behind ?.', at: node };
  let child = node;
  for (let parent = node.getParent(); parent && child !== stop; parent = parent.getParent()) {
    const g = guardOf(parent, child);
    if (g) return { reason: g, at: parent };
    if ((Node.isBlock(parent) || Node.isSourceFile(parent)) && child !== stop) {
      const stmts = parent.getStatements() as Node[];
      for (const s of stmts.slice(0, stmts.indexOf(child))) {
        const e = exitIn(s);
        if (e) return { reason: `after \`${e.getText().split('\n')[0]}\``, at: e };
      }
    }
    child = parent;
  }
  return undefined;
}

/** The straight-line run a check orders steps in: statements that always run before a region, then the region. */
export interface Sequence {
  statements: Statement[];
  /** Index of the first statement of the region proper (the rest is hoisted context). */
  regionStart: number;
  /** Private methods and module functions called from the run, whose statements follow their call site. */
  helpers?: InlinedHelper[];
}

/** A helper's body spliced into a run right after the statement that calls it (see inline.ts). */
export interface InlinedHelper {
  call: Node;
  callSite: Statement;
  fn: Node;
  name: string;
  statements: Statement[];
}

export const wholeBlock = (statements: Statement[]): Sequence => ({ statements, regionStart: 0 });

/** Is `outer` a proper ancestor of `inner`? */
export function encloses(outer: Node, inner: Node): boolean {
  for (let p = inner.getParent(); p; p = p.getParent()) if (p === outer) return true;
  return false;
}

/** Index in the sequence of the statement holding `node`, if node lies in the sequence at all. */
export function seqIndex(seq: Sequence, node: Node): number {
  return seq.statements.findIndex((s) => s === node || encloses(s, node));
}

/** Does `a` finish before `b` starts (or is `a` evaluated as part of b's operands)? Both in one statement. */
export function evaluatedBefore(a: Node, b: Node): boolean {
  if (encloses(b, a)) return !isFunctionBoundaryBetween(a, b);
  return a.getEnd() <= b.getStart();
}

function isFunctionBoundaryBetween(inner: Node, outer: Node): boolean {
  for (let p = inner.getParent(); p && p !== outer; p = p.getParent()) if (isFunctionBoundary(p)) return true;
  return false;
}
