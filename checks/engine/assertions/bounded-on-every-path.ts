import { Node } from 'ts-morph';
import { createInterpreter, joinBound, type Bound, type Fact } from '../bound-paths.ts';
import { seqIndex } from '../control-flow.ts';
import { scopesOf } from '../inline.ts';
import { excerpt, fail, notLocated, pass } from '../location.ts';
import { describeStep, findStepNodes, stepKey } from '../steps.ts';
import { needsAnchor, type AssertionCheck } from './context.ts';

interface Seen {
  rows: Bound;
  carrier?: Node;
  trim?: Node;
  why?: string;
}

/** The stored value's bound: the value itself, or (through a factory the engine cannot read) one of its arguments. */
function storedBound(value: Node, evaluate: (e: Node) => Fact): Seen {
  const f = evaluate(value);
  if (f.rows === 'B') return { rows: 'B', carrier: value, ...(f.trim ? { trim: f.trim } : {}) };
  const args = Node.isCallExpression(value) || Node.isNewExpression(value) ? value.getArguments() : [];
  const facts = args.map((a) => ({ a, f: evaluate(a) }));
  const bounded = facts.find((x) => x.f.rows === 'B');
  if (bounded) return { rows: 'B', carrier: bounded.a, ...(bounded.f.trim ? { trim: bounded.f.trim } : {}) };
  if (facts.some((x) => x.f.rows === 'U') || f.rows === 'U') return { rows: 'U', carrier: value };
  const why = facts.find((x) => x.f.why)?.f.why ?? f.why;
  return { rows: '?', ...(why ? { why } : {}) };
}

/**
 * On every path that reaches the store, the stored rows are bounded by the limit: trimmed with it, or
 * known to be within it by a guard. Calls are followed into any module with their arguments bound.
 */
export const boundedOnEveryPath: AssertionCheck<'bounded-on-every-path'> = (a, ctx) => {
  const c = needsAnchor(ctx);
  if (!c) return fail('bounded-on-every-path needs an anchor');
  const scopes = scopesOf(c.body, c.seq);
  const inRegion = (n: Node) => seqIndex(c.seq, n) >= c.seq.regionStart;
  const stores = findStepNodes(scopes, a.store).filter(inRegion);
  const limits = findStepNodes(scopes, a.limit).filter((n) => seqIndex(c.seq, n) >= 0);
  const [storeName, limitName] = [describeStep(a.store), describeStep(a.limit)];
  if (stores.length === 0) return notLocated(`${storeName} not found where the spec holds`, c.fn);
  if (limits.length === 0) return fail(`${limitName} is not read before ${storeName}`, stores[0]);

  const seen = new Map<Node, Seen>();
  const interp = createInterpreter({
    limits: new Set(limits),
    watch: new Set(stores),
    onWatched(node, _env, evaluate) {
      if (!Node.isCallExpression(node)) return;
      const value = node.getArguments().at(-1);
      const now = value ? storedBound(value, evaluate) : { rows: 'U' as const };
      const before = seen.get(node);
      seen.set(node, before ? { ...before, ...now, rows: joinBound(before.rows, now.rows), trim: before.trim ?? now.trim } : now);
    },
  });
  interp.run(c.body.getStatements(), new Map(), 0);

  const located: Record<string, Node> = { [stepKey(a.limit)]: limits[0]! };
  for (const store of stores) {
    const s = seen.get(store);
    if (!s) return notLocated(`no path the engine follows reaches ${storeName} at ${excerpt(store, 40)}`, store);
    if (s.rows === 'U') return fail(`${storeName} may store rows not bounded by ${limitName} (${excerpt(s.carrier ?? store, 40)})`, s.carrier ?? store);
    if (s.rows === '?') return notLocated(s.why ?? `the engine cannot read what ${storeName} stores`, store);
    located[stepKey(a.store)] ??= store;
    if (s.carrier) located[`${stepKey(a.store)}.carrier`] ??= s.carrier;
    if (s.trim) located[stepKey(a.trim)] ??= s.trim;
  }
  const trim = located[stepKey(a.trim)];
  return pass(`${storeName} stores rows bounded by ${limitName} on every path${trim ? ` (${describeStep(a.trim)}: ${excerpt(trim, 40)})` : ''}`, trim ?? stores[0], located);
};
