import { descendantsOf } from './descendants.ts';
import { Node, SyntaxKind, type Block, type IfStatement, type Statement } from 'ts-morph';
import { isFunctionBoundary, type Sequence } from './control-flow.ts';
import type { Region } from './spec-schema.ts';
import { calleeText } from './steps.ts';
import { isSymbolRef, resolverOf } from './symbols.ts';

/**
 * Recognises "the branch taken when the key is not yet cached" (and its opposite) in its equivalent
 * spellings: `!m.has(k)`, `m.has(k)` + else, `m.get(k) === undefined` / `== null` / `!m.get(k)`,
 * a const bound to `m.get(k)` tested the same ways, `!(k in m)`, and the early-return form
 * `if (m.has(k)) { …; return } <rest>`. Negations and parentheses nest freely.
 */

export type ResolvedRegion = { ok: true; seq: Sequence; node: Node } | { ok: false; reason: string };

const unwrap = (n: Node): Node => (Node.isParenthesizedExpression(n) ? unwrap(n.getExpression()) : n);
/** The map is named by declaration ('MarketDataManager#ohlcv'), whatever the receiver is called here. */
const isMap = (n: Node, map: string) => {
  const u = unwrap(n);
  if (isSymbolRef(map)) return resolverOf(u).matches(u, map);
  const t = calleeText(u);
  return t === map || t.endsWith(`.${map}`);
};
const isNothing = (n: Node) => {
  const u = unwrap(n);
  return u.getKind() === SyntaxKind.NullKeyword || (Node.isIdentifier(u) && u.getText() === 'undefined') || Node.isVoidExpression(u);
};

/** `m.get(k)`, `m[k]`, or a const bound to one of them. */
function isLookup(n: Node, map: string): boolean {
  const u = unwrap(n);
  if (Node.isCallExpression(u)) {
    const callee = u.getExpression();
    return Node.isPropertyAccessExpression(callee) && callee.getName() === 'get' && isMap(callee.getExpression(), map);
  }
  if (Node.isElementAccessExpression(u)) return isMap(u.getExpression(), map);
  if (Node.isIdentifier(u)) {
    const decl = findLocalConst(u);
    const init = decl && Node.isVariableDeclaration(decl) ? decl.getInitializer() : undefined;
    return init !== undefined && isLookup(init, map);
  }
  return false;
}

/** No type checker (one query costs ~0.8 s): find the const of that name declared earlier in the same function. */
function findLocalConst(id: Node): Node | undefined {
  let fn: Node | undefined = id.getParent();
  while (fn && !isFunctionBoundary(fn)) fn = fn.getParent();
  return (fn ? descendantsOf(fn) : [])
    .find((d) => Node.isVariableDeclaration(d) && d.getName() === id.getText() && d.getStart() < id.getStart());
}

/** true: the condition holds exactly when the key is NOT cached; false: exactly when it IS; undefined: unrelated. */
export function notCachedWhenTrue(cond: Node, map: string): boolean | undefined {
  const c = unwrap(cond);
  if (Node.isPrefixUnaryExpression(c) && c.getOperatorToken() === SyntaxKind.ExclamationToken) {
    const inner = notCachedWhenTrue(c.getOperand(), map);
    return inner === undefined ? undefined : !inner;
  }
  if (Node.isCallExpression(c)) {
    const callee = c.getExpression();
    if (Node.isPropertyAccessExpression(callee) && callee.getName() === 'has' && isMap(callee.getExpression(), map)) return false;
  }
  if (Node.isBinaryExpression(c)) {
    const op = c.getOperatorToken().getKind();
    if (op === SyntaxKind.InKeyword && isMap(c.getRight(), map)) return false;
    const eq = op === SyntaxKind.EqualsEqualsEqualsToken || op === SyntaxKind.EqualsEqualsToken;
    const ne = op === SyntaxKind.ExclamationEqualsEqualsToken || op === SyntaxKind.ExclamationEqualsToken;
    if (eq || ne) {
      const [l, r] = [c.getLeft(), c.getRight()];
      const tested = (isNothing(r) && isLookup(l, map)) || (isNothing(l) && isLookup(r, map));
      if (tested) return eq;
    }
    return undefined;
  }
  if (isLookup(c, map)) return false;
  return undefined;
}

const statementsOf = (s: Statement): Statement[] => (Node.isBlock(s) ? s.getStatements() : [s]);
/** The statement (or its block's last statement) is a return or throw: what follows it is the other branch. */
export const endsInExit = (s: Statement) => {
  const last = statementsOf(s).at(-1);
  return last !== undefined && (Node.isReturnStatement(last) || Node.isThrowStatement(last));
};

/** Statements after `stmt` in its block. */
const rest = (stmt: Statement): Statement[] => {
  const block = stmt.getParent() as Block;
  const all = block.getStatements();
  return all.slice(all.indexOf(stmt) + 1);
};

/** Statements that always run before `stmt` within `body`: earlier siblings at every enclosing block level. */
function hoisted(stmt: Node, body: Block): Statement[] {
  const levels: Statement[][] = [];
  for (let c: Node = stmt; c !== body; ) {
    const p = c.getParent();
    if (!p) break;
    if (Node.isBlock(p)) {
      const all = p.getStatements();
      levels.unshift(all.slice(0, all.indexOf(c as Statement)));
    }
    c = p;
  }
  return levels.flat();
}

export function resolveRegion(body: Block, region: Region): ResolvedRegion {
  const wantNotCached = region.kind === 'not-cached-branch';
  const ifs = descendantsOf(body).filter((d): d is IfStatement => Node.isIfStatement(d));
  for (const s of ifs) {
    const polarity = notCachedWhenTrue(s.getExpression(), region.map);
    if (polarity === undefined) continue;
    const thenIsWanted = polarity === wantNotCached;
    const els = s.getElseStatement();
    let statements: Statement[] | undefined;
    if (thenIsWanted) statements = statementsOf(s.getThenStatement());
    else if (els) statements = statementsOf(els);
    else if (endsInExit(s.getThenStatement()) && Node.isBlock(s.getParent())) statements = rest(s);
    if (!statements) continue;
    const before = hoisted(s, body);
    return { ok: true, seq: { statements: [...before, ...statements], regionStart: before.length }, node: s };
  }
  return { ok: false, reason: `no ${region.kind} region on ${region.map}: no if statement tests whether the key is in ${region.map}` };
}
