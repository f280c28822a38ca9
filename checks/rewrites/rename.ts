import { Node, SyntaxKind, type Project, type SourceFile, type ts } from 'ts-morph';
import { applyTextEdits, editList } from './text-edits.ts';

export interface RenameRequest {
  /** The identifier that declares (or imports) a name local to its file. */
  name: Node;
  to: string;
}

/** How an occurrence is respelled: shorthand `{ a }` keeps its key, an import keeps the exported name. */
function respell(id: Node, to: string): string {
  const p = id.getParent();
  const old = id.getText();
  if (p && Node.isShorthandPropertyAssignment(p)) return `${old}: ${to}`;
  if (p && Node.isBindingElement(p) && !p.getPropertyNameNode() && p.getNameNode() === id && !p.getDotDotDotToken()) return `${old}: ${to}`;
  if (p && Node.isImportSpecifier(p) && !p.getAliasNode()) return `${old} as ${to}`;
  return to;
}

/**
 * Renames names local to a file (locals, parameters, imports) as an editor does: every identifier the
 * type checker resolves to the same symbol, in one pass over each file, shorthand properties and
 * destructured keys kept by writing `key: newName`, imports becoming `{ a as b }`.
 */
export function renameAll(project: Project, requests: readonly RenameRequest[]): SourceFile[] {
  const checker = project.getTypeChecker().compilerObject;
  const plan = editList();
  const files = new Map<SourceFile, Map<ts.Symbol, string>>();
  for (const r of requests) {
    const symbol = checker.getSymbolAtLocation(r.name.compilerNode);
    if (!symbol) continue;
    const sf = r.name.getSourceFile();
    files.set(sf, (files.get(sf) ?? new Map()).set(symbol, r.to));
  }
  for (const [sf, symbols] of files) {
    for (const id of sf.getDescendantsOfKind(SyntaxKind.Identifier)) {
      const p = id.getParent();
      const symbol = p && Node.isShorthandPropertyAssignment(p) ? checker.getShorthandAssignmentValueSymbol(p.compilerNode) : checker.getSymbolAtLocation(id.compilerNode);
      const to = symbol && symbols.get(symbol);
      if (to) plan.add(sf, { start: id.getStart(), end: id.getEnd(), text: respell(id, to) });
    }
  }
  return applyTextEdits(plan.edits);
}

/**
 * Names that appear nowhere in the file (`<prefix>1`, `<prefix>2`, …): opaque on purpose, so that no
 * check can still find the old spelling inside the new one.
 */
export function freshNames(sf: SourceFile, prefix: string): () => string {
  const taken = new Set(sf.getDescendantsOfKind(SyntaxKind.Identifier).map((id) => id.getText()));
  let n = 0;
  return () => {
    let name: string;
    do name = `${prefix}${++n}`;
    while (taken.has(name));
    taken.add(name);
    return name;
  };
}
