import { descendantsOf } from '../descendants.ts';
import { Node, SyntaxKind } from 'ts-morph';
import { exitIn } from '../control-flow.ts';
import { excerpt, fail, pass, type Verdict } from '../location.ts';
import { loopHolding, type LoopNode } from '../loops.ts';
import { orderSteps } from '../order.ts';
import { scopesOf } from '../inline.ts';
import { calleeText, describeStep, findStepNodes } from '../steps.ts';
import { needsAnchor, type AnchoredContext, type AssertionCheck } from './context.ts';

const unwrap = (n: Node): Node => (Node.isParenthesizedExpression(n) ? unwrap(n.getExpression()) : n);

function conjuncts(n: Node): Node[] {
  const u = unwrap(n);
  if (Node.isBinaryExpression(u) && u.getOperatorToken().getKind() === SyntaxKind.AmpersandAmpersandToken)
    return [...conjuncts(u.getLeft()), ...conjuncts(u.getRight())];
  return [u];
}

const isNot = (n: Node) => Node.isPrefixUnaryExpression(n) && n.getOperatorToken() === SyntaxKind.ExclamationToken;
const isAbortedRead = (n: Node) => Node.isPropertyAccessExpression(n) && n.getName() === 'aborted';
const isFlag = (n: Node) => Node.isIdentifier(n) || (Node.isPropertyAccessExpression(n) && !isAbortedRead(n));

/** A loop body that leaves on abort: an `if (….aborted) break/return`, or an awaited call given a signal (it rejects). */
function leavesOnAbort(loop: LoopNode, sleepCalls: Node[]): boolean {
  const ifs = loop.getStatement().getDescendantsOfKind(SyntaxKind.IfStatement);
  if (ifs.some((s) => /\baborted\b/.test(s.getExpression().getText()) && exitIn(s.getThenStatement()))) return true;
  return sleepCalls.some((n) => n.getDescendantsOfKind(SyntaxKind.Identifier).some((id) => /signal/i.test(id.getText())));
}

/** `flag = true` (or `= false` for a negated flag) runs unconditionally before the loop in the same function. */
function setBeforeLoop(flag: Node, negated: boolean, loop: LoopNode, ctx: AnchoredContext): boolean {
  const text = calleeText(flag);
  const want = negated ? 'false' : 'true';
  const sets = descendantsOf(ctx.body).filter(Node.isBinaryExpression).filter(
    (b) => b.getOperatorToken().getKind() === SyntaxKind.EqualsToken && calleeText(b.getLeft()) === text && b.getRight().getText() === want,
  );
  const decls = descendantsOf(ctx.body)
    .filter(Node.isVariableDeclaration)
    .filter((d) => d.getName() === text && d.getInitializer()?.getText() === want);
  return [...sets, ...decls].some((s) => orderSteps(ctx.seq, [{ node: s, label: 'set' }, { node: loop, label: 'loop' }], ctx.body).ok);
}

/**
 * The loop must keep running for as long as the service does: its condition may not be a bare flag that
 * can still be false when the task starts (the original's `while running` bug).
 */
export const loopRunsWhileServiceRuns: AssertionCheck<'loop-runs-while-service-runs'> = (a, ctx) => {
  const c = needsAnchor(ctx);
  if (!c) return fail('loop-runs-while-service-runs needs an anchor');
  const loop = loopHolding(scopesOf(c.body, c.seq), a.loopHolding);
  if (!loop) return fail(`no loop holding ${describeStep(a.loopHolding)}`, c.fn);
  const cond = Node.isForStatement(loop) ? loop.getCondition() : (loop as LoopNode & { getExpression(): Node }).getExpression();
  const at = cond ?? loop;
  if (Node.isForOfStatement(loop) || Node.isForInStatement(loop)) return fail('a for-of/in loop ends with its iterable, not with the service', at);
  const sleeps = findStepNodes(loop.getStatement(), a.loopHolding);
  const terms = cond ? conjuncts(cond) : [];
  const onFlag = (term: Node): Verdict => {
    const msg = `loop condition \`${excerpt(term, 40)}\` is a bare flag that may be false when the task starts`;
    if (a.onBareFlag === 'defer-to-probe' && a.probe) return { ok: true, message: `${msg}; deferred to runtime probe ${a.probe}`, node: term, deferredTo: a.probe, located: { loop } };
    return fail(`${msg}${a.probe ? ` (runtime probe ${a.probe} decides)` : ''}`, term);
  };
  for (const term of terms) {
    if (term.getKind() === SyntaxKind.TrueKeyword) continue;
    if (isNot(term) && isAbortedRead(unwrap((term as Node & { getOperand(): Node }).getOperand()))) continue;
    const negated = isNot(term);
    const flag = negated ? unwrap((term as Node & { getOperand(): Node }).getOperand()) : term;
    if (isFlag(flag)) {
      if (setBeforeLoop(flag, negated, loop, c)) continue;
      return onFlag(term);
    }
    return fail(`cannot show that loop condition \`${excerpt(term, 40)}\` holds while the service runs`, term);
  }
  const onlyTrue = terms.every((t) => t.getKind() === SyntaxKind.TrueKeyword);
  if (onlyTrue && !leavesOnAbort(loop, sleeps)) return fail('an endless loop with no way out on shutdown', at);
  return pass(`loop runs until shutdown: \`${excerpt(at, 40)}\``, at, { loop });
};
