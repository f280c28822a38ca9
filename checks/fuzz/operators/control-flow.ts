import { Node, type IfStatement, type Statement } from 'ts-morph';
import type { OperatorContext, RefactorOperator } from '../operator-types.ts';

const ifs = (ctx: OperatorContext) => ctx.files().flatMap((sf) => sf.getDescendants().filter((d): d is IfStatement => Node.isIfStatement(d)));
const endsInReturn = (s: Statement) => {
  const last = Node.isBlock(s) ? s.getStatements().at(-1) : s;
  return last !== undefined && (Node.isReturnStatement(last) || Node.isThrowStatement(last));
};
const bodyText = (s: Statement) => (Node.isBlock(s) ? s.getStatements().map((x) => x.getText()).join('\n') : s.getText());

/** `if (c) { …; return } else { B }` → `if (c) { …; return } B`: the early-return form. */
export const dropElseAfterReturn: RefactorOperator = {
  id: 'drop-else-after-return',
  description: 'an else after a branch that returns written as the code after the if',
  apply(ctx) {
    const s = ctx.rng.pick(ifs(ctx).filter((i) => {
      const e = i.getElseStatement();
      return e !== undefined && !Node.isIfStatement(e) && endsInReturn(i.getThenStatement()) && Node.isBlock(i.getParent());
    }));
    const e = s?.getElseStatement();
    if (!s || !e) return false;
    s.replaceWithText(`if (${s.getExpression().getText()}) ${s.getThenStatement().getText()}\n${bodyText(e)}`);
    return true;
  },
};

/** `if (c) { …; return } REST` (the rest of the block) → `if (c) { …; return } else { REST }`. */
export const elseForRest: RefactorOperator = {
  id: 'else-for-rest',
  description: 'the code after an early return wrapped in an else',
  apply(ctx) {
    const s = ctx.rng.pick(ifs(ctx).filter((i) => {
      const p = i.getParent();
      return !i.getElseStatement() && endsInReturn(i.getThenStatement()) && Node.isBlock(p) && p.getStatements().at(-1) !== i;
    }));
    const block = s?.getParent();
    if (!s || !block || !Node.isBlock(block)) return false;
    const all = block.getStatements();
    const rest = all.slice(all.indexOf(s) + 1);
    const text = `if (${s.getExpression().getText()}) ${s.getThenStatement().getText()} else {\n${rest.map((r) => r.getText()).join('\n')}\n}`;
    const [first, last] = [rest[0], rest.at(-1)];
    if (!first || !last) return false;
    block.getSourceFile().replaceText([s.getStart(), last.getEnd()], text);
    return true;
  },
};

/** `if (c) A else B` → `if (!(c)) B else A`. */
export const invertIf: RefactorOperator = {
  id: 'invert-if',
  description: 'an if/else with its condition negated and its branches swapped',
  apply(ctx) {
    const s = ctx.rng.pick(ifs(ctx).filter((i) => {
      const e = i.getElseStatement();
      return e !== undefined && !Node.isIfStatement(e);
    }));
    const e = s?.getElseStatement();
    if (!s || !e) return false;
    const wrap = (x: Statement) => (Node.isBlock(x) ? x.getText() : `{ ${x.getText()} }`);
    s.replaceWithText(`if (!(${s.getExpression().getText()})) ${wrap(e)} else ${wrap(s.getThenStatement())}`);
    return true;
  },
};

/** `xs.forEach((x) => { … })` → `for (const x of xs) { … }` (Map: `for (const [k, v] of m)`), when the callback never returns. */
export const forEachToForOf: RefactorOperator = {
  id: 'foreach-to-for-of',
  description: 'a forEach callback written as a for…of loop',
  apply(ctx) {
    const calls = ctx.files().flatMap((sf) =>
      sf.getDescendants().filter((d) => {
        if (!Node.isExpressionStatement(d)) return false;
        const call = d.getExpression();
        if (!Node.isCallExpression(call)) return false;
        const callee = call.getExpression();
        const [cb] = call.getArguments();
        if (!Node.isPropertyAccessExpression(callee) || callee.getName() !== 'forEach' || callee.hasQuestionDotToken() || !cb || !Node.isArrowFunction(cb)) return false;
        const body = cb.getBody();
        const returns = body.getDescendants().some((x) => Node.isReturnStatement(x) && x.getFirstAncestor((a) => Node.isArrowFunction(a) || Node.isFunctionExpression(a) || Node.isFunctionDeclaration(a)) === cb);
        const params = cb.getParameters();
        return !returns && params.length >= 1 && params.length <= 2 && params.every((p) => Node.isIdentifier(p.getNameNode()));
      }),
    );
    const stmt = ctx.rng.pick(calls);
    const call = stmt && Node.isExpressionStatement(stmt) ? stmt.getExpression() : undefined;
    if (!stmt || !call || !Node.isCallExpression(call)) return false;
    const callee = call.getExpression();
    const cb = call.getArguments()[0];
    if (!Node.isPropertyAccessExpression(callee) || !cb || !Node.isArrowFunction(cb)) return false;
    const receiver = callee.getExpression();
    const isMap = /^(ReadonlyMap|Map)</.test(receiver.getType().getText(receiver));
    const [v, k] = cb.getParameters().map((p) => p.getName());
    if (!isMap && (k !== undefined || !receiver.getType().isArray())) return false;
    const binding = isMap ? `[${k ?? '_key'}, ${v ?? '_value'}]` : v;
    const body = cb.getBody();
    const block = Node.isBlock(body) ? body.getText() : `{ ${body.getText()}; }`;
    stmt.replaceWithText(`for (const ${binding} of ${receiver.getText()}) ${block}`);
    return true;
  },
};
