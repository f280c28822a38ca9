import { ts } from 'ts-morph';

/**
 * The tokens of a TypeScript text as the parser reads them, trivia (whitespace, comments, JSDoc) left out:
 * equal for two texts that differ only in layout, so a reformat can be shown to change nothing else.
 */
export function tokens(text: string): string[] {
  const sf = ts.createSourceFile('tokens.ts', text, ts.ScriptTarget.Latest, false, ts.ScriptKind.TS);
  const out: string[] = [];
  const visit = (n: ts.Node) => {
    if (n.kind >= ts.SyntaxKind.FirstJSDocNode && n.kind <= ts.SyntaxKind.LastJSDocNode) return;
    const children = n.getChildren(sf);
    if (children.length === 0) out.push(n.getText(sf));
    else children.forEach(visit);
  };
  visit(sf);
  return out;
}
