import { Node, type Statement } from 'ts-morph';
import { conditionBetween, isFunctionBoundary, type InlinedHelper, type Sequence } from './control-flow.ts';
import { resolverOf } from './symbols.ts';

/**
 * A fix extracted into a helper still holds: calls made unconditionally by a statement of the run, to a
 * private method of the anchor's class or to a function of the same module, have the helper's statements
 * spliced in right after the call site (two calls deep). Steps are then found and ordered across both,
 * and each finding can name the helper and where it is called.
 */

const DEPTH = 2;

function helperBody(call: Node, anchor: Node): { fn: Node; name: string; statements: Statement[] } | undefined {
  if (!Node.isCallExpression(call)) return undefined;
  const cls = anchor.getParent();
  for (const d of resolverOf(call).declarations(call.getExpression())) {
    let fn: Node | undefined;
    let name = '';
    if (Node.isMethodDeclaration(d) && d.getParent() === cls && (d.hasModifier('private') || d.getName().startsWith('#'))) [fn, name] = [d, d.getName()];
    else if (Node.isFunctionDeclaration(d) && Node.isSourceFile(d.getParent()) && d.getSourceFile() === anchor.getSourceFile()) [fn, name] = [d, d.getName() ?? ''];
    else if (Node.isVariableDeclaration(d) && d.getVariableStatement()?.getParent() === anchor.getSourceFile()) {
      const init = d.getInitializer();
      if (init && (Node.isArrowFunction(init) || Node.isFunctionExpression(init))) [fn, name] = [init, d.getName()];
    }
    if (!fn || fn === anchor) continue;
    const body = (fn as Node & { getBody?: () => Node | undefined }).getBody?.();
    if (body && Node.isBlock(body)) return { fn, name, statements: body.getStatements() };
  }
  return undefined;
}

function callsIn(stmt: Statement): Node[] {
  const out: Node[] = [];
  stmt.forEachDescendant((d, walk) => {
    if (isFunctionBoundary(d)) return walk.skip();
    if (Node.isCallExpression(d) && !conditionBetween(d, stmt)) out.push(d);
    return undefined;
  });
  return out;
}

function expand(statements: Statement[], anchor: Node, depth: number, helpers: InlinedHelper[]): Statement[] {
  if (depth === 0) return statements;
  return statements.flatMap((stmt) => {
    const spliced: Statement[] = [stmt];
    for (const call of callsIn(stmt)) {
      const h = helperBody(call, anchor);
      if (!h || helpers.some((x) => x.fn === h.fn)) continue;
      const entry: InlinedHelper = { call, callSite: stmt, fn: h.fn, name: h.name, statements: [] };
      helpers.push(entry);
      entry.statements = expand(h.statements, anchor, depth - 1, helpers);
      spliced.push(...entry.statements);
    }
    return spliced;
  });
}

export function inlineHelpers(seq: Sequence, anchor: Node): Sequence {
  const helpers: InlinedHelper[] = [];
  const before = expand(seq.statements.slice(0, seq.regionStart), anchor, DEPTH, helpers);
  const region = expand(seq.statements.slice(seq.regionStart), anchor, DEPTH, helpers);
  return { statements: [...before, ...region], regionStart: before.length, helpers };
}

/** The helper whose (spliced) statements hold `stmt`, innermost first. */
export function helperOf(seq: Sequence, stmt: Node): InlinedHelper | undefined {
  let owner: Node | undefined = stmt.getParent();
  while (owner && !isFunctionBoundary(owner)) owner = owner.getParent();
  return seq.helpers?.find((h) => h.fn === owner);
}

/**
 * An exit that does not end the run: a call site's own `return helper()` (it returns after the spliced
 * helper ran), or a helper's closing `return` when the next step is outside that helper.
 */
export function exitLeavesRun(seq: Sequence, stmt: Statement, exit: Node, next: Statement): boolean {
  if (exit === stmt && seq.helpers?.some((h) => h.callSite === stmt)) return false;
  // A return in a helper leaves the helper only: it ends the run just for steps still inside it.
  const h = helperOf(seq, stmt);
  if (h && Node.isReturnStatement(exit) && helperOf(seq, exit) === h) return helperOf(seq, next) === h;
  return true;
}

/** The anchor body plus every spliced helper statement: where a step's nodes are looked for. */
export const scopesOf = (body: Node, seq: Sequence): Node[] => [body, ...(seq.helpers ?? []).flatMap((h) => h.statements)];
