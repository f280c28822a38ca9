import { Node, SyntaxKind, type IfStatement, type Statement } from 'ts-morph';
import { applyTextEdits, editList } from './text-edits.ts';
import { endsInExit } from '../engine/region.ts';
import type { Rewrite } from './rewrite-types.ts';
import { distinctFunctions } from './targets.ts';

/** `if (!m.has(k)) { …; return }` followed in its block by `const v = m.get(k)!;` */
function match(s: IfStatement): { map: string; key: string; later: Statement; name: string } | undefined {
  const cond = s.getExpression();
  if (!Node.isPrefixUnaryExpression(cond) || cond.getOperatorToken() !== SyntaxKind.ExclamationToken) return undefined;
  const has = cond.getOperand();
  if (!Node.isCallExpression(has)) return undefined;
  const callee = has.getExpression();
  if (!Node.isPropertyAccessExpression(callee) || callee.getName() !== 'has' || !endsInExit(s.getThenStatement())) return undefined;
  const [map, key] = [callee.getExpression().getText(), has.getArguments()[0]?.getText()];
  const block = s.getParent();
  if (!key || !Node.isBlock(block)) return undefined;
  for (const later of block.getStatements().slice(block.getStatements().indexOf(s) + 1)) {
    const d = Node.isVariableStatement(later) ? later.getDeclarations() : [];
    const init = d.length === 1 ? d[0]!.getInitializer() : undefined;
    if (init && Node.isNonNullExpression(init) && init.getExpression().getText() === `${map}.get(${key})`) {
      const name = d[0]!.getName();
      const clash = s.getThenStatement().getDescendantsOfKind(SyntaxKind.Identifier).some((id) => id.getText() === name);
      return clash ? undefined : { map, key, later, name };
    }
  }
  return undefined;
}

/**
 * `if (!m.has(k)) { … return } const v = m.get(k)!;` → `const v = m.get(k); if (v === undefined) { … return }`:
 * one lookup instead of two and no non-null assertion, the refactor a reviewer asks for.
 */
export const getInsteadOfHas: Rewrite = {
  id: 'get-instead-of-has',
  description: '`!m.has(k)` then `m.get(k)!` replaced by one `m.get(k)` tested against undefined',
  apply(_project, targets) {
    const plan = editList();
    for (const t of distinctFunctions(targets)) {
      for (const s of t.fn.getDescendantsOfKind(SyntaxKind.IfStatement)) {
        const m = match(s);
        if (!m) continue;
        const cond = s.getExpression();
        plan.add(t.sf, { start: s.getStart(), end: s.getStart(), text: `const ${m.name} = ${m.map}.get(${m.key});\n${s.getIndentationText()}` });
        plan.add(t.sf, { start: cond.getStart(), end: cond.getEnd(), text: `${m.name} === undefined` });
        plan.add(t.sf, { start: m.later.getFullStart(), end: m.later.getEnd(), text: '' });
      }
    }
    return applyTextEdits(plan.edits);
  },
};
