import { Node, TypeFormatFlags, type MethodDeclaration, type Statement } from 'ts-morph';
import { freshNames } from '../../rewrites/rename.ts';
import type { RefactorOperator } from '../operator-types.ts';

const LEAVES = (d: Node) => Node.isReturnStatement(d) || Node.isBreakStatement(d) || Node.isContinueStatement(d) || Node.isAwaitExpression(d) || Node.isYieldExpression(d) || d.getText() === 'arguments' || Node.isSuperExpression(d);

/** The method's locals and parameters a run of its statements reads (they become parameters), or undefined when the run cannot be moved out. */
function freeLocals(method: MethodDeclaration, run: readonly Statement[], after: readonly Statement[]): Map<string, string> | undefined {
  const inRun = (n: Node) => run.some((s) => s === n || s.getDescendants().includes(n));
  const free = new Map<string, string>();
  const declaredHere = new Set<string>();
  for (const s of run)
    for (const d of [s, ...s.getDescendants()]) {
      if (LEAVES(d) && !d.getFirstAncestor((a) => Node.isArrowFunction(a) || Node.isFunctionExpression(a))) return undefined;
      if (Node.isVariableDeclaration(d) || Node.isBindingElement(d)) declaredHere.add(d.getName());
      if (!Node.isIdentifier(d)) continue;
      const decl = d.getSymbol()?.getDeclarations()[0];
      if (!decl || inRun(decl) || !method.getDescendants().includes(decl)) continue;
      if (!Node.isVariableDeclaration(decl) && !Node.isParameterDeclaration(decl) && !Node.isBindingElement(decl)) continue;
      const p = d.getParent();
      const written = p && ((Node.isBinaryExpression(p) && p.getLeft() === d && p.getOperatorToken().getText().endsWith('=')) || Node.isPostfixUnaryExpression(p) || Node.isPrefixUnaryExpression(p) && /\+\+|--/.test(p.getOperatorToken().toString()));
      if (written) return undefined;
      free.set(d.getText(), decl.getType().getText(decl, TypeFormatFlags.UseFullyQualifiedType));
    }
  const later = after.map((s) => s.getText()).join('\n');
  return [...declaredHere].some((n) => new RegExp(`\\b${n}\\b`).test(later)) ? undefined : free;
}

/** An editor's "extract method": one to three statements of a method moved into a new private method, its reads passed in. */
export const extractMethod: RefactorOperator = {
  id: 'extract-method',
  description: 'statements of a method extracted into a private method of the class',
  apply(ctx) {
    const methods = ctx.files().flatMap((sf) => sf.getClasses().flatMap((c) => c.getMethods().filter((m) => !m.isStatic() && (m.getBody()?.getChildSyntaxList()?.getChildCount() ?? 0) > 0)));
    const method = ctx.rng.pick(methods);
    const body = method?.getBody();
    if (!method || !body || !Node.isBlock(body)) return false;
    const stmts = body.getStatements();
    const i = ctx.rng.int(stmts.length);
    const j = Math.min(stmts.length - 1, i + ctx.rng.int(3));
    const run = stmts.slice(i, j + 1);
    const free = freeLocals(method, run, stmts.slice(j + 1));
    if (!free || run.length === 0) return false;
    const name = freshNames(method.getSourceFile(), `${method.getName()}Part`)();
    const params = [...free].map(([n, t]) => `${n}: ${t}`).join(', ');
    const text = run.map((s) => s.getText()).join('\n');
    const call = `this.${name}(${[...free.keys()].join(', ')});`;
    const cls = method.getParentOrThrow();
    if (!Node.isClassDeclaration(cls)) return false;
    const index = cls.getMembers().indexOf(method);
    // ts-morph's own manipulations, so the nodes still held stay valid between the two edits.
    cls.insertMember(index + 1, `private ${name}(${params}): void {\n${text}\n}`);
    body.removeStatements([i, j]);
    body.insertStatements(i, call);
    return true;
  },
};
