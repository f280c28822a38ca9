import { Node, type FunctionDeclaration, type Statement, type TryStatement } from 'ts-morph';
import { FOUR_SPACES } from '../../rewrites/reformat.ts';
import { freshNames } from '../../rewrites/rename.ts';
import type { RefactorOperator } from '../operator-types.ts';

/** `function f(…) {…}` at module level → `const f = (…) => {…};`, when nothing in the file uses it earlier. */
export const functionToArrow: RefactorOperator = {
  id: 'function-to-arrow',
  description: 'a module function written as a const arrow function',
  apply(ctx) {
    const fns = ctx.files().flatMap((sf) =>
      sf.getFunctions().filter((fn: FunctionDeclaration) => {
        const name = fn.getNameNode();
        return name !== undefined && fn.getBody() !== undefined && !fn.isGenerator() && fn.getOverloads().length === 0 && !fn.isDefaultExport() && !fn.getText().includes('this') &&
          name.findReferencesAsNodes().every((r) => r.getSourceFile() !== sf || r.getStart() > fn.getEnd());
      }),
    );
    const fn = ctx.rng.pick(fns);
    const body = fn?.getBody();
    if (!fn || !body) return false;
    const tps = fn.getTypeParameters().map((t) => t.getText()).join(', ');
    const ret = fn.getReturnTypeNode() ? `: ${fn.getReturnTypeNode()?.getText() ?? ''}` : '';
    const docs = fn.getJsDocs().map((d) => d.getText()).join('\n');
    const head = `${fn.isExported() ? 'export ' : ''}const ${fn.getName() ?? ''} = ${fn.isAsync() ? 'async ' : ''}${tps ? `<${tps},>` : ''}(${fn.getParameters().map((p) => p.getText()).join(', ')})${ret} => `;
    fn.replaceWithText(`${docs ? `${docs}\n` : ''}${head}${body.getText()};`);
    return true;
  },
};

/** A loop's `try { await sleep } catch { if (c) break; throw }`, with what prepares it, moved into a closure: `if (!(await waitN())) break;`. */
export const sleepIntoClosure: RefactorOperator = {
  id: 'sleep-into-closure',
  description: "a loop's wait moved into a closure that says whether to go on",
  apply(ctx) {
    const loops = ctx.files().flatMap((sf) => sf.getDescendants().filter((d) => (Node.isWhileStatement(d) || Node.isForStatement(d)) && Node.isBlock(d.getStatement()) && awaitTry(d) !== undefined));
    const loop = ctx.rng.pick(loops);
    const t = loop && awaitTry(loop);
    if (!loop || !t) return false;
    const name = freshNames(loop.getSourceFile(), 'waitOneInterval')();
    const clause = t.try.getCatchClause();
    const catchText = clause?.getBlock().getText().replace(/\bbreak;/g, 'return false;') ?? '';
    const prep = t.before.map((s) => s.getText()).join('\n');
    const closure = `const ${name} = async (): Promise<boolean> => {\n${prep}\ntry {\n${t.try.getTryBlock().getStatements().map((s) => s.getText()).join('\n')}\nreturn true;\n} catch (${clause?.getVariableDeclaration()?.getText() ?? 'err'}) ${catchText}\n};`;
    const [first] = t.before.length ? t.before : [t.try];
    if (!first) return false;
    const [text, at] = [loop.getText(), loop.getStart()];
    const rewritten = `${text.slice(0, first.getStart() - at)}if (!(await ${name}())) break;${text.slice(t.try.getEnd() - at)}`;
    loop.replaceWithText(`${closure}\n${rewritten}`);
    return true;
  },
};

/** The loop's `try { await … }` whose catch breaks or throws, and the statements before it that only it uses. */
function awaitTry(loop: Node): { try: TryStatement; before: Statement[] } | undefined {
  const block = (loop as Node & { getStatement(): Node }).getStatement();
  if (!Node.isBlock(block)) return undefined;
  const stmts = block.getStatements();
  const i = stmts.findIndex((s) => Node.isTryStatement(s) && s.getTryBlock().getStatements().length === 1 && s.getTryBlock().getText().includes('await') && !s.getFinallyBlock() && /\bbreak;/.test(s.getCatchClause()?.getText() ?? ''));
  const t = stmts[i];
  if (i < 0 || !t || !Node.isTryStatement(t)) return undefined;
  if (t.getCatchClause()?.getBlock().getDescendants().some((d) => Node.isContinueStatement(d) || Node.isReturnStatement(d))) return undefined;
  const before = stmts.slice(0, i);
  const declared = before.flatMap((s) => (Node.isVariableStatement(s) ? s.getDeclarations().map((d) => d.getName()) : []));
  const after = stmts.slice(i + 1).map((s) => s.getText()).join('\n');
  const escapes = before.some((s) => s.getDescendants().some((d) => Node.isBreakStatement(d) || Node.isContinueStatement(d) || Node.isReturnStatement(d)));
  return escapes || declared.some((n) => new RegExp(`\\b${n}\\b`).test(after)) ? undefined : { try: t, before };
}

/** A file reprinted by the TypeScript formatter at another indent. */
export const reformat: RefactorOperator = {
  id: 'reformat',
  description: 'a file reprinted by the formatter at a 4-space indent',
  apply(ctx) {
    const sf = ctx.rng.pick(ctx.files());
    if (!sf) return false;
    sf.formatText(FOUR_SPACES);
    return true;
  },
};
