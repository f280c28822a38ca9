import { descendantsOf } from './descendants.ts';
import { Node, type Block } from 'ts-morph';
import { conditionBetween, isFunctionBoundary } from './control-flow.ts';
import type { Step } from './spec-schema.ts';
import { isSymbolRef, resolverOf } from './symbols.ts';

/** Callee text with whitespace, `?.` and non-null `!` normalised away. */
export function calleeText(expr: Node): string {
  return expr.getText().replace(/\s+/g, '').replace(/\?\./g, '.').replace(/!(?=[.([]|$)/g, '');
}

export const describeStep = (s: Step) => s.label ?? (s.call ? `${s.call}(…)` : s.new ? `new ${s.new}(…)` : `${s.read}`);

/** The name mutants use for the node a step located. */
export const stepKey = (s: Step) => s.as ?? describeStep(s);

/** A declaration ref goes through the type checker; a dotted text (fixtures only) is compared as callee text. */
const matchesRef = (n: Node, ref: string) => (isSymbolRef(ref) ? resolverOf(n).matches(n, ref) : calleeText(n) === ref);

function matchesDirect(n: Node, step: Step): boolean {
  if (step.call && Node.isCallExpression(n)) {
    const callee = n.getExpression();
    if (step.on && !(Node.isPropertyAccessExpression(callee) && matchesRef(callee.getExpression(), step.on))) return false;
    return matchesRef(callee, step.call);
  }
  if (step.new && Node.isNewExpression(n)) return matchesRef(n.getExpression(), step.new);
  if (step.read && Node.isPropertyAccessExpression(n)) {
    const p = n.getParent();
    const isCallee = p && Node.isCallExpression(p) && p.getExpression() === n;
    const isInner = p && Node.isPropertyAccessExpression(p) && p.getExpression() === n;
    return !isCallee && !isInner && matchesRef(n, step.read);
  }
  // `const { trades } = this.config.limits` reads the property too.
  if (step.read && isSymbolRef(step.read) && Node.isBindingElement(n) && Node.isObjectBindingPattern(n.getParent())) return matchesRef(n.getNameNode(), step.read);
  return false;
}

const unwrapParents = (n: Node): Node => {
  let p = n.getParent();
  while (p && (Node.isParenthesizedExpression(p) || Node.isAsExpression(p) || Node.isNonNullExpression(p))) p = p.getParent();
  return p ?? n;
};

/** The await of a call: `await f()`, or `const p = f(); … await p` in the same function. */
function awaitsOf(call: Node, scope: Node): Node[] {
  const parent = unwrapParents(call);
  if (Node.isAwaitExpression(parent)) return [parent];
  if (!Node.isVariableDeclaration(parent)) return [];
  const name = parent.getName();
  return descendantsOf(scope)
    .filter((d) => Node.isAwaitExpression(d) && Node.isIdentifier(d.getExpression()) && d.getExpression().getText() === name);
}

/** Local helpers of `scope` (const arrow / function declarations) whose body makes a matching call unconditionally. */
function helpersMaking(scope: Node, step: Step): string[] {
  const names: string[] = [];
  const root = enclosingFunction(scope) ?? scope.getSourceFile();
  root.forEachDescendant((d) => {
    let fn: Node | undefined;
    let name: string | undefined;
    if (Node.isVariableDeclaration(d)) {
      const init = d.getInitializer();
      if (init && (Node.isArrowFunction(init) || Node.isFunctionExpression(init))) [fn, name] = [init, d.getName()];
    } else if (Node.isFunctionDeclaration(d)) [fn, name] = [d, d.getName()];
    if (!fn || !name) return;
    const body = (fn as unknown as { getBody(): Node | undefined }).getBody();
    if (!body) return;
    const direct = descendantsOf(body).filter((c) => matchesDirect(c, step));
    // An awaited step: the helper awaits the call itself (`await clock.sleep(…)`, or a const bound to it).
    const made = step.awaited ? direct.flatMap((c) => awaitsOf(c, fn)) : direct;
    if (made.some((c) => !conditionBetween(c, body))) names.push(name);
  });
  return names;
}

/**
 * All nodes in `scope` that realise the step, in source order. For an awaited step that is the await; for a
 * helper-made call it is the call of the helper.
 */
export function findStepNodes(scopes: Node | readonly Node[], step: Step): Node[] {
  const all = (Array.isArray(scopes) ? scopes : [scopes]) as readonly Node[];
  const scope = all[0]!;
  const inScope = all.flatMap((s) => descendantsOf(s));
  const direct = inScope.filter((n) => matchesDirect(n, step));
  let nodes = step.awaited ? direct.flatMap((c) => awaitsOf(c, enclosingFunction(c) ?? scope)) : direct;
  if (step.viaLocalHelper && step.call) {
    const helpers = new Set(helpersMaking(scope, step));
    const viaHelper = inScope.filter((n) => Node.isCallExpression(n) && Node.isIdentifier(n.getExpression()) && helpers.has(n.getExpression().getText()));
    nodes = [...nodes, ...(step.awaited ? viaHelper.flatMap((c) => awaitsOf(c, enclosingFunction(c) ?? scope)) : viaHelper)];
  }
  return [...new Set(nodes)].sort((a, b) => a.getStart() - b.getStart());
}

export function enclosingFunction(n: Node): Node | undefined {
  for (let p = n.getParent(); p; p = p.getParent()) if (isFunctionBoundary(p)) return p;
  return undefined;
}

/** The statement directly inside a block (or source file) that holds `n`. */
export function enclosingStatement(n: Node): Node | undefined {
  for (let c: Node | undefined = n; c; c = c.getParent()) {
    const p = c.getParent();
    if (p && (Node.isBlock(p) || Node.isSourceFile(p) || Node.isCaseClause(p) || Node.isDefaultClause(p))) return c;
  }
  return undefined;
}

export type { Block };
