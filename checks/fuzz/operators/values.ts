import { Node, VariableDeclarationKind, type VariableStatement } from 'ts-morph';
import { freshNames } from '../../rewrites/rename.ts';
import type { OperatorContext, RefactorOperator } from '../operator-types.ts';

/** Single-declaration statements `const N = <init>` inside functions. */
function constStatements(ctx: OperatorContext, test: (init: Node) => boolean): VariableStatement[] {
  return ctx.files().flatMap((sf) =>
    sf.getDescendants().filter((d): d is VariableStatement => {
      if (!Node.isVariableStatement(d) || d.getDeclarationKind() !== VariableDeclarationKind.Const || !Node.isBlock(d.getParent())) return false;
      const [decl, more] = d.getDeclarations();
      const init = decl?.getInitializer();
      return more === undefined && decl !== undefined && Node.isIdentifier(decl.getNameNode()) && decl.getTypeNode() === undefined && init !== undefined && test(init);
    }),
  );
}

/** `const x = a.b;` → `const { b: x } = a;`. */
export const destructure: RefactorOperator = {
  id: 'destructure',
  description: 'a property read written as a destructuring',
  apply(ctx) {
    const s = ctx.rng.pick(constStatements(ctx, (i) => Node.isPropertyAccessExpression(i) && !i.hasQuestionDotToken() && !Node.isPrivateIdentifier(i.getNameNode())));
    const d = s?.getDeclarations()[0];
    const init = d?.getInitializer();
    if (!s || !d || !init || !Node.isPropertyAccessExpression(init)) return false;
    s.replaceWithText(`const { ${init.getName()}: ${d.getName()} } = ${init.getExpression().getText()};`);
    return true;
  },
};

/** `const t = rows.slice(-limit);` → `let t = rows; if (t.length > limit) t = t.slice(-limit);`: the guard form of a trim. */
export const guardTrim: RefactorOperator = {
  id: 'guard-trim',
  description: 'a trim to the newest N written as a length guard',
  apply(ctx) {
    const s = ctx.rng.pick(constStatements(ctx, (i) => sliceNewest(i) !== undefined));
    const d = s?.getDeclarations()[0];
    const parts = d && sliceNewest(d.getInitializer());
    if (!s || !d || !parts) return false;
    const n = d.getName();
    s.replaceWithText(`let ${n} = ${parts.rows};\nif (${n}.length > ${parts.limit}) ${n} = ${n}.slice(-${parts.limit});`);
    return true;
  },
};

/** `rows.slice(-limit)` with plain names: the receiver and the limit. */
function sliceNewest(n: Node | undefined): { rows: string; limit: string } | undefined {
  if (!n || !Node.isCallExpression(n)) return undefined;
  const callee = n.getExpression();
  const [arg, more] = n.getArguments();
  if (!Node.isPropertyAccessExpression(callee) || callee.getName() !== 'slice' || more || !arg || !Node.isPrefixUnaryExpression(arg)) return undefined;
  const [rows, limit] = [callee.getExpression(), arg.getOperand()];
  return Node.isIdentifier(rows) && Node.isIdentifier(limit) && arg.getText().startsWith('-') ? { rows: rows.getText(), limit: limit.getText() } : undefined;
}

/** `rows.slice(-limit)` → `newestWithinN(rows, limit)`, a generic helper in a new module beside the caches. */
export const extractToModule: RefactorOperator = {
  id: 'extract-to-module',
  description: 'an expression moved into a generic helper in a module of its own, imported where it was',
  apply(ctx) {
    const calls = ctx.files().flatMap((sf) => sf.getDescendants().filter((d) => sliceNewest(d) !== undefined));
    const call = ctx.rng.pick(calls);
    const parts = sliceNewest(call);
    if (!call || !parts) return false;
    const sf = call.getSourceFile();
    const name = freshNames(sf, 'newestWithin')();
    const dir = ctx.files().find((f) => f.getDirectory().getBaseName() === 'caches')?.getDirectoryPath() ?? sf.getDirectoryPath();
    const helper = ctx.project.createSourceFile(`${dir}/${name.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`)}.ts`, `/** The newest \`limit\` rows (all of them when there are fewer). */\nexport function ${name}<T>(rows: readonly T[], limit: number): T[] {\n  return rows.slice(-limit);\n}\n`);
    call.replaceWithText(`${name}(${parts.rows}, ${parts.limit})`);
    let spec = sf.getRelativePathAsModuleSpecifierTo(helper);
    if (!spec.endsWith('.ts')) spec = `${spec}.ts`;
    sf.addImportDeclaration({ namedImports: [name], moduleSpecifier: spec });
    return true;
  },
};

/** The first argument of a call statement taken into a local just before it. */
export const extractLocal: RefactorOperator = {
  id: 'extract-local',
  description: 'a call argument extracted into a const',
  apply(ctx) {
    const stmts = ctx.files().flatMap((sf) =>
      sf.getDescendants().filter((d) => {
        if (!Node.isExpressionStatement(d) || !Node.isBlock(d.getParent())) return false;
        const call = d.getExpression();
        const arg = Node.isCallExpression(call) ? call.getArguments()[0] : undefined;
        return arg !== undefined && (Node.isCallExpression(arg) || Node.isPropertyAccessExpression(arg)) && !arg.getText().includes('?.') && !Node.isSpreadElement(arg);
      }),
    );
    const s = ctx.rng.pick(stmts);
    const call = s && Node.isExpressionStatement(s) ? s.getExpression() : undefined;
    const arg = call && Node.isCallExpression(call) ? call.getArguments()[0] : undefined;
    if (!s || !arg) return false;
    const name = freshNames(s.getSourceFile(), 'extracted')();
    const text = arg.getText();
    arg.replaceWithText(name);
    s.replaceWithText(`const ${name} = ${text};\n${s.getText()}`);
    return true;
  },
};
