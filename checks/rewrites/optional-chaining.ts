import { Node, SyntaxKind, type CallExpression } from 'ts-morph';
import { applyTextEdits, editList } from './text-edits.ts';
import type { Rewrite } from './rewrite-types.ts';
import { distinctFunctions } from './targets.ts';

/** A local, a parameter or `this.<field>` (not a global such as `process`): where a defensive `?.` goes. */
function ownReceiver(e: Node): boolean {
  if (Node.isPropertyAccessExpression(e)) return e.getExpression().getKind() === SyntaxKind.ThisKeyword;
  if (!Node.isIdentifier(e)) return false;
  const d = e.getSymbol()?.getDeclarations()[0];
  return d !== undefined && d.getSourceFile() === e.getSourceFile() && (Node.isParameterDeclaration(d) || Node.isVariableDeclaration(d) || Node.isBindingElement(d));
}

/** The receiver is never null or undefined, so `?.` cannot short-circuit and the call always runs. */
function safeToChain(call: CallExpression): boolean {
  const callee = call.getExpression();
  if (!Node.isPropertyAccessExpression(callee) || callee.hasQuestionDotToken()) return false;
  const receiver = callee.getExpression();
  if (!ownReceiver(receiver)) return false;
  const t = receiver.getType();
  return !t.isAny() && !t.isUnknown() && !t.isNullable() && !t.isUndefined() && !t.isNull();
}

export const optionalChaining: Rewrite = {
  id: 'optional-chaining',
  description: 'method calls on never-null locals, parameters and fields written with `?.`',
  apply(_project, targets) {
    const plan = editList();
    for (const t of distinctFunctions(targets)) {
      for (const call of t.fn.getDescendantsOfKind(SyntaxKind.CallExpression).filter(safeToChain)) {
        const dot = call.getExpression().getFirstChildByKindOrThrow(SyntaxKind.DotToken).getStart();
        plan.add(t.sf, { start: dot, end: dot, text: '?' });
      }
    }
    return applyTextEdits(plan.edits);
  },
};
