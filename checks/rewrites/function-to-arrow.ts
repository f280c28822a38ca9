import { Node } from 'ts-morph';
import type { Rewrite } from './rewrite-types.ts';
import { applyTextEdits, editList } from './text-edits.ts';
import { distinctFunctions } from './targets.ts';

/**
 * `export async function f(a: A): R { … }` → `export const f = async (a: A): R => { … };` for each anchored
 * module-level function that is not used before its declaration (a const is not hoisted).
 */
export const functionToArrow: Rewrite = {
  id: 'function-to-arrow',
  description: 'each anchored function declaration written as an exported const arrow function',
  apply(_project, targets) {
    const plan = editList();
    for (const { fn, sf } of distinctFunctions(targets)) {
      if (!Node.isFunctionDeclaration(fn) || !Node.isSourceFile(fn.getParent()) || fn.getTypeParameters().length > 0 || fn.isGenerator()) continue;
      const name = fn.getName();
      const body = fn.getBody();
      if (!name || !body || fn.getOverloads().length > 0) continue;
      const usedEarlier = fn.getNameNode()!.findReferencesAsNodes().some((r) => r.getSourceFile() === sf && r.getStart() < fn.getStart());
      if (usedEarlier) continue;
      const params = fn.getParameters().map((p) => p.getText()).join(', ');
      const ret = fn.getReturnTypeNode() ? `: ${fn.getReturnTypeNode()!.getText()}` : '';
      const head = `${fn.isExported() ? 'export ' : ''}const ${name} = ${fn.isAsync() ? 'async ' : ''}(${params})${ret} =>`;
      const start = fn.getStart(false);
      plan.add(sf, { start, end: body.getStart(), text: `${head} ` });
      plan.add(sf, { start: body.getEnd(), end: body.getEnd(), text: ';' });
    }
    return applyTextEdits(plan.edits);
  },
};
