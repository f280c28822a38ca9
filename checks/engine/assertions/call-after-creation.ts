import { descendantsOf } from '../descendants.ts';
import { Node, SyntaxKind } from 'ts-morph';
import { conditionBetween, seqIndex } from '../control-flow.ts';
import { excerpt, fail, pass } from '../location.ts';
import { orderSteps } from '../order.ts';
import { calleeText, describeStep, findStepNodes, stepKey } from '../steps.ts';
import { scopesOf } from '../inline.ts';
import { needsAnchor, type AssertionCheck } from './context.ts';

const unwrapUp = (n: Node): Node => {
  let p = n.getParent();
  while (p && (Node.isParenthesizedExpression(p) || Node.isAsExpression(p) || Node.isAwaitExpression(p))) p = p.getParent();
  return p ?? n;
};

/** The name the created object is held by: `const m = new C()` or `this.m = new C()`. */
function bindingOf(creation: Node): string | undefined {
  const holder = unwrapUp(creation);
  if (Node.isVariableDeclaration(holder) && Node.isIdentifier(holder.getNameNode())) return holder.getName();
  if (Node.isBinaryExpression(holder) && holder.getOperatorToken().getKind() === SyntaxKind.EqualsToken) return calleeText(holder.getLeft());
  return undefined;
}

const mentions = (n: Node, name: string) =>
  calleeText(n) === name ||
  descendantsOf(n).some((d) => (Node.isIdentifier(d) || Node.isPropertyAccessExpression(d)) && calleeText(d) === name);

/**
 * The task is started with the object only after the object exists: created first, the call not under a
 * condition (other than the allowed opt-out guards), and the binding not cleared in between. The original
 * once started it on an object that was still undefined.
 */
export const callAfterCreation: AssertionCheck<'call-after-creation'> = (a, ctx) => {
  const c = needsAnchor(ctx);
  if (!c) return fail('call-after-creation needs an anchor');
  const [creationName, callName] = [describeStep(a.creation), describeStep(a.call)];
  const scopes = scopesOf(c.body, c.seq);
  const creation = findStepNodes(scopes, a.creation).find((n) => seqIndex(c.seq, n) >= 0);
  if (!creation) return fail(`${creationName} not found`, c.fn);
  const binding = bindingOf(creation);
  if (!binding) return fail(`the result of ${creationName} is not bound to a name`, creation);
  const calls = findStepNodes(scopes, a.call).filter((n) => Node.isCallExpression(n) && n.getArguments().some((arg) => mentions(arg, binding)));
  if (calls.length === 0) return fail(`${callName} does not receive ${binding}`, creation);

  const guards = a.allowedGuards.map((g) => new RegExp(g));
  /** Climbs past allowed opt-out guards until the call (or its guard) is a plain statement of the run. */
  const climb = (call: Node): { node: Node; guard?: Node } | { reason: string; at: Node } => {
    let allowed: Node | undefined;
    for (let effective = call; ; ) {
      const idx = seqIndex(c.seq, effective);
      const g = idx >= 0 ? conditionBetween(effective, c.seq.statements[idx]!) : { reason: 'outside the function body', at: effective };
      if (!g) return { node: effective, ...(allowed ? { guard: allowed } : {}) };
      const guard = g.at;
      const test = Node.isIfStatement(guard) ? guard.getExpression() : Node.isConditionalExpression(guard) ? guard.getCondition() : undefined;
      if (!test || !guards.some((re) => re.test(test.getText()))) return { reason: `${callName} is ${g.reason}`, at: guard };
      allowed ??= test;
      effective = guard;
    }
  };
  let problem = '';
  let at: Node = calls[0]!;
  for (const call of calls) {
    const climbed = climb(call);
    if (!('node' in climbed)) {
      [problem, at] = [climbed.reason, climbed.at];
      continue;
    }
    const effective = climbed.node;
    const r = orderSteps(c.seq, [{ node: creation, label: creationName }, { node: effective, label: callName }], c.body);
    if (!r.ok) {
      problem = r.reason;
      at = r.at ?? call;
      continue;
    }
    const cleared = descendantsOf(c.body)
      .filter(Node.isBinaryExpression)
      .find(
        (b) =>
          b.getOperatorToken().getKind() === SyntaxKind.EqualsToken &&
          calleeText(b.getLeft()) === binding &&
          /^(undefined|null|void 0)$/.test(b.getRight().getText()) &&
          b.getStart() > creation.getEnd() &&
          b.getStart() < call.getStart(),
      );
    if (cleared) {
      problem = `${binding} is cleared (${excerpt(cleared, 30)}) before ${callName}`;
      at = cleared;
      continue;
    }
    return pass(`${callName} receives ${binding} after ${creationName}`, call, {
      [stepKey(a.creation)]: creation,
      [stepKey(a.call)]: call,
      ...(climbed.guard ? { guard: climbed.guard } : {}),
    });
  }
  return fail(problem || `${callName} never runs after ${creationName}`, at);
};
