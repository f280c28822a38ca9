import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { ts } from 'ts-morph';

/**
 * Which file of app/ exports each name: probes load the app by what it exports, not by where a file is,
 * so a file an editor moved (its imports updated) is probed like before. Parsing only, no type checker.
 */
export function findExports(root: string, names: readonly string[]): Map<string, string> {
  const wanted = new Set(names);
  const found = new Map<string, string>();
  const walk = (dir: string) => {
    for (const e of readdirSync(path.join(root, dir), { withFileTypes: true })) {
      const rel = path.join(dir, e.name);
      if (e.isDirectory()) walk(rel);
      else if (e.name.endsWith('.ts') && !e.name.endsWith('.test.ts')) {
        const sf = ts.createSourceFile(rel, readFileSync(path.join(root, rel), 'utf8'), ts.ScriptTarget.ES2022);
        for (const name of exportedNames(sf)) if (wanted.has(name) && !found.has(name)) found.set(name, rel);
      }
    }
  };
  walk('app');
  return found;
}

function exportedNames(sf: ts.SourceFile): string[] {
  return sf.statements.flatMap((st) => {
    const exported = ts.canHaveModifiers(st) && (ts.getModifiers(st) ?? []).some((m) => m.kind === ts.SyntaxKind.ExportKeyword);
    if (!exported) return [];
    if ((ts.isFunctionDeclaration(st) || ts.isClassDeclaration(st)) && st.name) return [st.name.text];
    if (ts.isVariableStatement(st)) return st.declarationList.declarations.flatMap((d) => (ts.isIdentifier(d.name) ? [d.name.text] : []));
    return [];
  });
}
