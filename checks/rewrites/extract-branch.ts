import { Node, SyntaxKind, TypeFormatFlags, type IfStatement, type MethodDeclaration, type Statement } from 'ts-morph';
import { endsInExit } from '../engine/region.ts';
import type { Region } from '../engine/spec-schema.ts';
import { freshNames } from './rename.ts';
import type { AnchoredTarget, Rewrite } from './rewrite-types.ts';
import { applyTextEdits, editList } from './text-edits.ts';

/** Does `n` (or a const it names) read the region's map, e.g. `this.ohlcv` for 'MarketDataManager#ohlcv'? */
function readsMap(n: Node, map: string): boolean {
  const member = map.slice(map.indexOf('#') + 1);
  return [n, ...n.getDescendants()].some((d) => {
    if (Node.isPropertyAccessExpression(d)) return d.getName() === member;
    const decl = Node.isIdentifier(d) ? d.getSymbol()?.getDeclarations()[0] : undefined;
    const init = decl && Node.isVariableDeclaration(decl) ? decl.getInitializer() : undefined;
    return init !== undefined && readsMap(init, map);
  });
}

/** The region's statements: the early-return `if`'s branch (not cached) or what follows it (cached). */
function regionStatements(body: Node, region: Region): Statement[] | undefined {
  const top = Node.isBlock(body) ? body.getStatements() : [];
  const s = top.find((c): c is IfStatement => Node.isIfStatement(c) && readsMap(c.getExpression(), region.map) && endsInExit(c.getThenStatement()));
  if (!s) return undefined;
  if (region.kind === 'not-cached-branch') {
    const then = s.getThenStatement();
    return Node.isBlock(then) ? then.getStatements() : undefined;
  }
  const block = s.getParentIfKindOrThrow(SyntaxKind.Block);
  return block.getStatements().slice(block.getStatements().indexOf(s) + 1);
}

/** Locals and parameters of `fn` declared outside `stmts` but read in them: the new method's parameters. */
function freeVariables(fn: Node, stmts: readonly Statement[]): { name: string; type: string }[] | undefined {
  const inside = (n: Node) => stmts.some((s) => n.getStart() >= s.getStart() && n.getEnd() <= s.getEnd());
  const seen = new Map<Node, { name: string; type: string }>();
  for (const id of stmts.flatMap((s) => s.getDescendantsOfKind(SyntaxKind.Identifier))) {
    const p = id.getParent();
    // `{ symbol }` names the property; the variable it reads is the shorthand's value symbol.
    const symbol = p && Node.isShorthandPropertyAssignment(p) ? p.getValueSymbol() : id.getSymbol();
    const d = symbol?.getDeclarations()[0];
    if (!d || seen.has(d) || inside(d) || !(Node.isParameterDeclaration(d) || Node.isVariableDeclaration(d) || Node.isBindingElement(d))) continue;
    if (!(d.getStart() >= fn.getStart() && d.getEnd() <= fn.getEnd())) continue;
    // An assignment inside would no longer reach the caller's variable.
    if (p && Node.isBinaryExpression(p) && p.getLeft() === id && p.getOperatorToken().getKind() === SyntaxKind.EqualsToken) return undefined;
    // The declared type as written, unless the use sees a narrower one (`store` after `=== undefined`).
    const declared = Node.isParameterDeclaration(d) || Node.isVariableDeclaration(d) ? d.getTypeNode() : undefined;
    const narrowed = id.getType().compilerType !== d.getType().compilerType;
    seen.set(d, { name: id.getText(), type: declared && !narrowed ? declared.getText() : id.getType().getText(id, TypeFormatFlags.UseAliasDefinedOutsideCurrentScope) });
  }
  return [...seen.values()];
}

/** The anchored region of storeOhlcv (each region a spec names) moved into a private method of its class. */
export const extractBranch: Rewrite = {
  id: 'extract-branch',
  description: 'each anchored branch (the first insert and the merge of storeOhlcv) moved into a private method',
  apply(_project, targets) {
    const plan = editList();
    const byMethod = new Map<MethodDeclaration, AnchoredTarget[]>();
    for (const t of targets) if (t.spec.region && Node.isMethodDeclaration(t.fn)) byMethod.set(t.fn, [...(byMethod.get(t.fn) ?? []), t]);
    for (const [method, ts] of byMethod) {
      const next = freshNames(method.getSourceFile(), 'extracted');
      const helpers: string[] = [];
      for (const t of ts) {
        const stmts = regionStatements(method.getBodyOrThrow(), t.spec.region!);
        const params = stmts && stmts.length > 0 && !stmts.some((s) => s.getFirstDescendantByKind(SyntaxKind.AwaitKeyword)) ? freeVariables(method, stmts) : undefined;
        if (!stmts || !params) continue;
        const name = next();
        const returns = endsInExit(stmts.at(-1)!);
        const call = `${returns ? 'return ' : ''}this.${name}(${params.map((p) => p.name).join(', ')});`;
        const [start, end] = [stmts[0]!.getStart(true), stmts.at(-1)!.getEnd()];
        plan.add(t.sf, { start, end, text: call });
        const body = t.sf.getFullText().slice(stmts[0]!.getFullStart(), end);
        const type = returns ? (method.getReturnTypeNode()?.getText() ?? method.getReturnType().getText(method)) : 'void';
        helpers.push(`\n\n  private ${name}(${params.map((p) => `${p.name}: ${p.type}`).join(', ')}): ${type} {${body}\n  }`);
      }
      if (helpers.length > 0) plan.add(method.getSourceFile(), { start: method.getEnd(), end: method.getEnd(), text: helpers.join('') });
    }
    return applyTextEdits(plan.edits);
  },
};
