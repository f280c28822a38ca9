import { descendantsOf } from '../descendants.ts';
import { Node, SyntaxKind } from 'ts-morph';
import { encloses, isFunctionBoundary, seqIndex, type InlinedHelper } from '../control-flow.ts';
import { scopesOf } from '../inline.ts';
import { excerpt, fail, pass } from '../location.ts';
import { describeStep, findStepNodes, stepKey } from '../steps.ts';
import { resolverOf } from '../symbols.ts';
import { needsAnchor, type AssertionCheck } from './context.ts';

/** Return statements of a helper's own body (not of functions nested in it). */
function returnsOf(fn: Node): Node[] {
  const out: Node[] = [];
  fn.forEachDescendant((d, walk) => {
    if (d !== fn && isFunctionBoundary(d)) return walk.skip();
    if (Node.isReturnStatement(d) && d.getExpression()) out.push(d.getExpression()!);
    return undefined;
  });
  return out;
}

const paramsOf = (fn: Node): Node[] => (fn as Node & { getParameters?: () => Node[] }).getParameters?.() ?? [];

/**
 * Data flow by declaration: the value of `from` reaches an argument of `to` inline, through locals and
 * destructuring (any names: identifiers are resolved to what they declare), into a spliced helper's
 * parameters and back out of its return value. A binding on the path that is reassigned does not count.
 */
export const flowsInto: AssertionCheck<'flows-into'> = (a, ctx) => {
  const c = needsAnchor(ctx);
  if (!c) return fail('flows-into needs an anchor');
  const r = resolverOf(c.body);
  const scopes = scopesOf(c.body, c.seq);
  const inSeq = (n: Node) => seqIndex(c.seq, n) >= 0;
  const froms = findStepNodes(scopes, a.from).filter(inSeq);
  const tos = findStepNodes(scopes, a.to).filter(inSeq);
  const [fromName, toName] = [describeStep(a.from), describeStep(a.to)];
  if (froms.length === 0) return fail(`${fromName} not found in the region`);
  if (tos.length === 0) return fail(`${toName} not found in the region`);

  const all = scopes.flatMap((s) => [s, ...descendantsOf(s)]);
  const decls = all.filter((d) => Node.isVariableDeclaration(d) || Node.isBindingElement(d));
  const helpers: InlinedHelper[] = c.seq.helpers ?? [];
  const assignedTo = all
    .filter(Node.isBinaryExpression)
    .filter((b) => b.getOperatorToken().getKind() === SyntaxKind.EqualsToken && Node.isIdentifier(b.getLeft()))
    .map((b) => b.getLeft());

  for (const from of froms) {
    // A destructured read (`const { trades: limit } = …limits`) binds the value to its own name.
    const tainted = new Set<Node>(Node.isBindingElement(from) ? [r.canonical(from)] : []);
    const taintedCalls = new Set<Node>();
    /** The node of `expr` that carries the value: `from` itself, a tainted name, or a tainted helper call. */
    const carrier = (expr: Node): Node | undefined => {
      if (expr === from || encloses(expr, from)) return from;
      return [expr, ...descendantsOf(expr)].find((n) => {
        if (taintedCalls.has(r.canonical(n))) return true;
        if (!Node.isIdentifier(n)) return false;
        const d = r.localDeclaration(n);
        return d !== undefined && tainted.has(r.canonical(d));
      });
    };
    for (let grew = true; grew; ) {
      const size = tainted.size + taintedCalls.size;
      for (const d of decls) {
        if (tainted.has(r.canonical(d))) continue;
        const init = Node.isVariableDeclaration(d) ? d.getInitializer() : undefined;
        if (init && carrier(init)) {
          if (Node.isIdentifier(d.getNameNode())) tainted.add(r.canonical(d));
          else for (const el of d.getNameNode().getDescendants().filter(Node.isBindingElement)) tainted.add(r.canonical(el));
        }
      }
      for (const h of helpers) {
        if (!Node.isCallExpression(h.call)) continue;
        h.call.getArguments().forEach((arg, i) => {
          const p = paramsOf(h.fn)[i];
          if (p && carrier(arg)) tainted.add(r.canonical(p));
        });
        if (returnsOf(h.fn).some((e) => carrier(e))) taintedCalls.add(r.canonical(h.call));
      }
      grew = tainted.size + taintedCalls.size > size;
    }
    const reassigned = assignedTo.find((id) => {
      const d = r.localDeclaration(id);
      return d !== undefined && tainted.has(r.canonical(d));
    });
    if (reassigned) return fail(`${reassigned.getText()} (from ${fromName}) is reassigned, so ${toName} may store something else`, from);
    for (const to of tos) {
      if (!Node.isCallExpression(to) && !Node.isNewExpression(to)) continue;
      for (const arg of to.getArguments()) {
        const via = carrier(arg);
        if (via) return pass(`${toName} receives the value of ${excerpt(from, 40)}`, to, { [stepKey(a.from)]: from, [stepKey(a.to)]: to, [`${stepKey(a.to)}.carrier`]: via });
      }
    }
  }
  return fail(`${toName} does not receive the value of ${fromName}`, tos[0]);
};
