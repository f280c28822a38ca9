import { Node, SyntaxKind, type Statement } from 'ts-morph';
import { encloses, isFunctionBoundary } from './control-flow.ts';
import { bodyOf, calleeBody } from './callee.ts';
import { resolverOf } from './symbols.ts';

/**
 * Path-sensitive bounds: a small abstract interpreter over a function's statements that knows, on every
 * path, whether a local holds rows bounded by the limit. `x.slice(-limit)` bounds; a guard
 * `if (x.length > limit) x = x.slice(-limit)` bounds on both paths (the false branch refines x). Calls into
 * functions with bodies are evaluated with their parameters bound per call site (any module); a value
 * from code the engine cannot follow is unknown, never a violation.
 */

/** B: bounded by the limit; U: not bounded on some path; '?': passes through code the engine cannot read. */
export type Bound = 'B' | 'U' | '?';

export interface Fact {
  rows: Bound;
  /** Carries the configured limit (the limit step, or something computed from it). */
  limit: boolean;
  /** The trim that made the rows bounded, on some path. */
  trim?: Node;
  /** Why the value is unknown. */
  why?: string;
}

type Env = Map<Node, Fact>;

const U: Fact = { rows: 'U', limit: false };
const unknown = (why: string): Fact => ({ rows: '?', limit: false, why });

export function joinBound(a: Bound, b: Bound): Bound {
  if (a === 'U' || b === 'U') return 'U';
  return a === '?' || b === '?' ? '?' : 'B';
}

function join(a: Fact, b: Fact): Fact {
  const trim = a.trim ?? b.trim;
  const why = a.why ?? b.why;
  return { rows: joinBound(a.rows, b.rows), limit: a.limit && b.limit, ...(trim ? { trim } : {}), ...(why ? { why } : {}) };
}

function joinEnvs(envs: readonly Env[]): Env | undefined {
  if (envs.length === 0) return undefined;
  const out: Env = new Map(envs[0]);
  for (const e of envs.slice(1))
    for (const k of new Set([...out.keys(), ...e.keys()])) out.set(k, join(out.get(k) ?? U, e.get(k) ?? U));
  return out;
}

const unwrap = (n: Node): Node =>
  Node.isParenthesizedExpression(n) || Node.isAsExpression(n) || Node.isNonNullExpression(n) || Node.isSatisfiesExpression(n) ? unwrap(n.getExpression()) : n;

const PRESERVING = new Set(['filter', 'sort', 'toSorted', 'map', 'reverse', 'toReversed']);
const MAX_DEPTH = 4;

export interface BoundQuery {
  /** Nodes that are the configured limit. */
  limits: ReadonlySet<Node>;
  /** Called with the environment in force at each watched node (store calls, call sites). */
  watch: ReadonlySet<Node>;
  onWatched(node: Node, env: Env, evaluate: (e: Node) => Fact): void;
}

const paramsOf = (fn: Node): Node[] => (fn as Node & { getParameters?: () => Node[] }).getParameters?.() ?? [];

export function createInterpreter(q: BoundQuery) {
  const r = (n: Node) => resolverOf(n);
  const declOf = (id: Node) => {
    const d = r(id).localDeclaration(id);
    return d ? r(id).canonical(d) : undefined;
  };

  function evaluate(e: Node, env: Env, depth: number): Fact {
    const u = unwrap(e);
    if (q.limits.has(r(u).canonical(u)) || q.limits.has(u)) return { rows: 'U', limit: true };
    if (Node.isIdentifier(u)) {
      const d = declOf(u);
      return (d && env.get(d)) ?? U;
    }
    if (Node.isPrefixUnaryExpression(u)) return { ...U, limit: evaluate(u.getOperand(), env, depth).limit };
    if (Node.isBinaryExpression(u)) {
      const op = u.getOperatorToken().getKind();
      if ([SyntaxKind.MinusToken, SyntaxKind.PlusToken, SyntaxKind.AsteriskToken].includes(op))
        return { ...U, limit: evaluate(u.getLeft(), env, depth).limit || evaluate(u.getRight(), env, depth).limit };
      if ([SyntaxKind.QuestionQuestionToken, SyntaxKind.BarBarToken].includes(op)) return join(evaluate(u.getLeft(), env, depth), evaluate(u.getRight(), env, depth));
      return U;
    }
    if (Node.isConditionalExpression(u)) return join(evaluate(u.getWhenTrue(), env, depth), evaluate(u.getWhenFalse(), env, depth));
    if (Node.isArrayLiteralExpression(u)) {
      const [only] = u.getElements();
      return u.getElements().length === 1 && only && Node.isSpreadElement(only) ? evaluate(only.getExpression(), env, depth) : U;
    }
    if (Node.isCallExpression(u)) return evaluateCall(u, env, depth);
    return U;
  }

  function evaluateCall(call: Node & { getArguments(): Node[]; getExpression(): Node }, env: Env, depth: number): Fact {
    const callee = unwrap(call.getExpression());
    const args = call.getArguments();
    const argFacts = () => args.map((a) => evaluate(a, env, depth));
    if (Node.isPropertyAccessExpression(callee)) {
      const name = callee.getName();
      if (name === 'slice') {
        const receiver = evaluate(callee.getExpression(), env, depth);
        return argFacts().some((f) => f.limit) ? { rows: 'B', limit: false, trim: call } : receiver;
      }
      if (PRESERVING.has(name)) return { ...evaluate(callee.getExpression(), env, depth), limit: false };
      if ((name === 'min' || name === 'max') && callee.getExpression().getText() === 'Math') return { ...U, limit: argFacts().some((f) => f.limit) };
    }
    const fn = depth < MAX_DEPTH ? calleeBody(call) : undefined;
    if (!fn) return unknown(`the value passes through ${call.getExpression().getText()}(…), which the engine cannot follow`);
    return evaluateFunction(fn, argFacts(), depth + 1);
  }

  /** The join of what `fn` returns, its parameters bound to `args`. */
  function evaluateFunction(fn: Node, args: readonly Fact[], depth: number): Fact {
    const env: Env = new Map();
    paramsOf(fn).forEach((p, i) => env.set(r(p).canonical(p), args[i] ?? U));
    const body = bodyOf(fn);
    if (!body) return U;
    if (!Node.isBlock(body)) return evaluate(body, env, depth);
    const returns: Fact[] = [];
    run(body.getStatements(), env, depth, returns);
    return returns.reduce(join, returns[0] ?? U);
  }

  /** Narrows `env` where `cond` is `truthy`: a length compared with the limit bounds that local. */
  function refine(cond: Node, truthy: boolean, env: Env, depth: number): Env {
    const c = unwrap(cond);
    if (Node.isPrefixUnaryExpression(c) && c.getOperatorToken() === SyntaxKind.ExclamationToken) return refine(c.getOperand(), !truthy, env, depth);
    if (!Node.isBinaryExpression(c)) return env;
    const op = c.getOperatorToken().getKind();
    if (op === SyntaxKind.AmpersandAmpersandToken && truthy) return refine(c.getRight(), true, refine(c.getLeft(), true, env, depth), depth);
    if (op === SyntaxKind.BarBarToken && !truthy) return refine(c.getRight(), false, refine(c.getLeft(), false, env, depth), depth);
    const lengthOf = (n: Node) => {
      const u = unwrap(n);
      return Node.isPropertyAccessExpression(u) && u.getName() === 'length' && Node.isIdentifier(u.getExpression()) ? declOf(u.getExpression()) : undefined;
    };
    const isLimit = (n: Node) => evaluate(n, env, depth).limit;
    // Normalise to `length OP limit`.
    const flip: Partial<Record<SyntaxKind, SyntaxKind>> = {
      [SyntaxKind.GreaterThanToken]: SyntaxKind.LessThanToken,
      [SyntaxKind.LessThanToken]: SyntaxKind.GreaterThanToken,
      [SyntaxKind.GreaterThanEqualsToken]: SyntaxKind.LessThanEqualsToken,
      [SyntaxKind.LessThanEqualsToken]: SyntaxKind.GreaterThanEqualsToken,
    };
    let [len, norm] = [lengthOf(c.getLeft()), op];
    if (!len || !isLimit(c.getRight())) {
      const f = flip[op];
      [len, norm] = [lengthOf(c.getRight()), f ?? op];
      if (!len || !f || !isLimit(c.getLeft())) return env;
    }
    const boundedWhenTrue = norm === SyntaxKind.LessThanToken || norm === SyntaxKind.LessThanEqualsToken;
    const boundedWhenFalse = norm === SyntaxKind.GreaterThanToken;
    if (truthy ? !boundedWhenTrue : !boundedWhenFalse) return env;
    const out = new Map(env);
    out.set(len, { ...(env.get(len) ?? U), rows: 'B' });
    return out;
  }

  const holdsWatched = (fn: Node) => [...q.watch].some((w) => encloses(fn, w));

  /** Watched nodes in `stmt` see `env`; a call into a function holding one runs it with its arguments bound. */
  function watchIn(stmt: Node, env: Env, depth: number) {
    if (q.watch.size === 0) return;
    stmt.forEachDescendant((d, walk) => {
      if (isFunctionBoundary(d) || Node.isBlock(d)) return walk.skip();
      if (q.watch.has(d)) q.onWatched(d, env, (e) => evaluate(e, env, depth));
      const fn = Node.isCallExpression(d) && depth < MAX_DEPTH ? calleeBody(d) : undefined;
      if (fn && Node.isCallExpression(d) && holdsWatched(fn)) evaluateFunction(fn, d.getArguments().map((a) => evaluate(a, env, depth)), depth + 1);
      return undefined;
    });
    if (q.watch.has(stmt)) q.onWatched(stmt, env, (e) => evaluate(e, env, depth));
  }

  function assign(target: Node, value: Fact, env: Env) {
    const d = Node.isIdentifier(target) ? declOf(target) : undefined;
    if (d) env.set(d, value);
  }

  /** Runs statements; returns the environment at the end, or undefined when every path left (return, throw). */
  function run(stmts: readonly Statement[] | readonly Node[], start: Env, depth: number, returns?: Fact[]): Env | undefined {
    let env: Env | undefined = new Map(start);
    for (const s of stmts) {
      if (!env) return undefined;
      env = step(s, env, depth, returns);
    }
    return env;
  }

  function step(s: Node, env: Env, depth: number, returns?: Fact[]): Env | undefined {
    if (Node.isBlock(s)) return run(s.getStatements(), env, depth, returns);
    if (Node.isIfStatement(s)) {
      watchIn(s.getExpression(), env, depth);
      const then = run([s.getThenStatement()], refine(s.getExpression(), true, env, depth), depth, returns);
      const elseStmt = s.getElseStatement();
      const other = elseStmt ? run([elseStmt], refine(s.getExpression(), false, env, depth), depth, returns) : refine(s.getExpression(), false, env, depth);
      return joinEnvs([then, other].filter((e): e is Env => e !== undefined));
    }
    if (Node.isReturnStatement(s) || Node.isThrowStatement(s)) {
      watchIn(s, env, depth);
      const e = s.getExpression();
      if (returns && Node.isReturnStatement(s)) returns.push(e ? evaluate(e, env, depth) : U);
      return undefined;
    }
    if (Node.isForOfStatement(s) || Node.isForInStatement(s) || Node.isWhileStatement(s) || Node.isForStatement(s) || Node.isDoStatement(s)) {
      const once = run([s.getStatement()], env, depth, returns);
      return joinEnvs([env, ...(once ? [once] : [])]);
    }
    if (Node.isTryStatement(s)) {
      const tried = run([s.getTryBlock()], env, depth, returns);
      const c = s.getCatchClause();
      const caught = c ? run([c.getBlock()], env, depth, returns) : undefined;
      const after = joinEnvs([tried, caught].filter((e): e is Env => e !== undefined));
      const fin = s.getFinallyBlock();
      return fin && after ? run([fin], after, depth, returns) : after;
    }
    if (Node.isSwitchStatement(s)) {
      const ends = s.getClauses().map((cl) => run(cl.getStatements(), env, depth, returns));
      return joinEnvs([env, ...ends.filter((e): e is Env => e !== undefined)]);
    }
    watchIn(s, env, depth);
    const next = new Map(env);
    if (Node.isVariableStatement(s)) {
      for (const d of s.getDeclarations()) {
        const init = d.getInitializer();
        const value = init ? evaluate(init, next, depth) : U;
        if (Node.isIdentifier(d.getNameNode())) next.set(r(d).canonical(d), value);
        else for (const b of d.getNameNode().getDescendants().filter(Node.isBindingElement)) next.set(r(b).canonical(b), unknown(`${b.getName()} is destructured`));
      }
    } else if (Node.isExpressionStatement(s)) {
      const e = unwrap(s.getExpression());
      if (Node.isBinaryExpression(e) && e.getOperatorToken().getKind() === SyntaxKind.EqualsToken) assign(e.getLeft(), evaluate(e.getRight(), next, depth), next);
    }
    return next;
  }

  return { run, evaluate, evaluateFunction };
}
