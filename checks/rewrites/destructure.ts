import { Node, SyntaxKind, VariableDeclarationKind, type VariableDeclaration } from 'ts-morph';
import { applyTextEdits, editList } from './text-edits.ts';
import type { Rewrite } from './rewrite-types.ts';
import { distinctFunctions } from './targets.ts';

/** `a.b.c` as its base and the names after it; undefined when the chain has calls, `?.` or `[k]`. */
function chain(e: Node): { base: Node; names: string[] } | undefined {
  const names: string[] = [];
  let n = e;
  while (Node.isPropertyAccessExpression(n) && !n.hasQuestionDotToken()) {
    names.unshift(n.getName());
    n = n.getExpression();
  }
  return names.length > 0 && (Node.isIdentifier(n) || n.getKind() === SyntaxKind.ThisKeyword) ? { base: n, names } : undefined;
}

/** `{ limits: { trades: limit } }` for the path limits.trades bound to `limit`; `{ limits }` when the names agree. */
const pattern = (path: readonly string[], local: string): string => {
  const [head, ...rest] = path;
  if (rest.length > 0) return `{ ${head}: ${pattern(rest, local)} }`;
  return head === local ? `{ ${local} }` : `{ ${head}: ${local} }`;
};

/**
 * `const x = this.config.limits.trades` → `const { limits: { trades: x } } = this.config`, and
 * `const limits = this.config.limits` → `const { limits } = this.config`: the same property reads.
 * (Calls are left alone: `const { trimTo } = list; trimTo(n)` would call BoundedList's method without
 * its `this`.)
 */
function destructurable(d: VariableDeclaration): { receiver: string; path: string[] } | undefined {
  const list = d.getParent();
  if (!Node.isVariableDeclarationList(list) || list.getDeclarationKind() !== VariableDeclarationKind.Const) return undefined;
  if (!Node.isIdentifier(d.getNameNode()) || d.getTypeNode()) return undefined;
  const init = d.getInitializer();
  const c = init && chain(init);
  if (!c) return undefined;
  const [receiver, path] = c.base.getKind() === SyntaxKind.ThisKeyword ? [`this.${c.names[0]}`, c.names.slice(1)] : [c.base.getText(), c.names];
  if (path.length === 0) return undefined;
  return { receiver, path };
}

export const destructure: Rewrite = {
  id: 'destructure',
  description: 'property reads bound to consts destructured (`const { limits } = this.config`, nested for longer paths)',
  apply(_project, targets) {
    const plan = editList();
    for (const t of distinctFunctions(targets)) {
      for (const d of t.fn.getDescendantsOfKind(SyntaxKind.VariableDeclaration)) {
        const p = destructurable(d);
        if (p) plan.add(t.sf, { start: d.getStart(), end: d.getEnd(), text: `${pattern(p.path, d.getName())} = ${p.receiver}` });
      }
    }
    return applyTextEdits(plan.edits);
  },
};
