import { descendantsOf } from '../descendants.ts';
import { Node, SyntaxKind } from 'ts-morph';
import { encloses, seqIndex } from '../control-flow.ts';
import { excerpt, fail, pass } from '../location.ts';
import { describeStep, findStepNodes } from '../steps.ts';
import { needsAnchor, type AssertionCheck } from './context.ts';

const unwrapUp = (n: Node): Node => {
  let p = n.getParent();
  while (p && (Node.isParenthesizedExpression(p) || Node.isAsExpression(p) || Node.isNonNullExpression(p) || Node.isAwaitExpression(p)))
    p = p.getParent();
  return p ?? n;
};

/**
 * Simple data flow: the value of `from` (inline, or through the const it is bound to, or through consts
 * built from that) is an argument of `to`. A binding that is reassigned does not count.
 */
export const flowsInto: AssertionCheck<'flows-into'> = (a, ctx) => {
  const c = needsAnchor(ctx);
  if (!c) return fail('flows-into needs an anchor');
  const inSeq = (n: Node) => seqIndex(c.seq, n) >= 0;
  const froms = findStepNodes(c.body, a.from).filter(inSeq);
  const tos = findStepNodes(c.body, a.to).filter(inSeq);
  const [fromName, toName] = [describeStep(a.from), describeStep(a.to)];
  if (froms.length === 0) return fail(`${fromName} not found in the region`);
  if (tos.length === 0) return fail(`${toName} not found in the region`);

  const decls = descendantsOf(c.body).filter(Node.isVariableDeclaration);
  const reassigned = new Set(
    descendantsOf(c.body)
      .filter(Node.isBinaryExpression)
      .filter((b) => b.getOperatorToken().getKind() === SyntaxKind.EqualsToken && Node.isIdentifier(b.getLeft()))
      .map((b) => b.getLeft().getText()),
  );
  for (const from of froms) {
    const holder = unwrapUp(from);
    const tainted = new Set<string>();
    if (Node.isVariableDeclaration(holder) && Node.isIdentifier(holder.getNameNode())) tainted.add(holder.getName());
    for (let grew = true; grew; ) {
      grew = false;
      for (const d of decls) {
        const init = d.getInitializer();
        if (!init || tainted.has(d.getName()) || !Node.isIdentifier(d.getNameNode())) continue;
        if (init.getDescendantsOfKind(SyntaxKind.Identifier).some((id) => tainted.has(id.getText())) || (Node.isIdentifier(init) && tainted.has(init.getText()))) {
          tainted.add(d.getName());
          grew = true;
        }
      }
    }
    const bad = [...tainted].find((t) => reassigned.has(t));
    if (bad) return fail(`${bad} (from ${fromName}) is reassigned, so ${toName} may store something else`, from);
    for (const to of tos) {
      if (!Node.isCallExpression(to) && !Node.isNewExpression(to)) continue;
      const args = to.getArguments();
      const carries = args.some(
        (arg) =>
          arg === from ||
          encloses(arg, from) ||
          (Node.isIdentifier(arg) && tainted.has(arg.getText())) ||
          arg.getDescendantsOfKind(SyntaxKind.Identifier).some((id) => tainted.has(id.getText())),
      );
      if (carries) return pass(`${toName} receives the value of ${excerpt(from, 40)}`, to);
    }
  }
  return fail(`${toName} does not receive the value of ${fromName}`, tos[0]);
};
