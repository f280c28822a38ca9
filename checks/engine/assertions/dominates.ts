import { fail, pass } from '../location.ts';
import { orderSteps } from '../order.ts';
import { describeStep, stepKey } from '../steps.ts';
import { needsAnchor, type AssertionCheck } from './context.ts';

/** Each step runs unconditionally, in the given order, with nothing leaving the block between them. */
export const dominates: AssertionCheck<'dominates'> = (a, ctx) => {
  const c = needsAnchor(ctx);
  if (!c) return fail('dominates needs an anchor');
  const r = orderSteps(c.seq, a.steps, c.body);
  const names = a.steps.map(describeStep).join(' → ');
  if (!r.ok) return fail(`order ${names} broken: ${r.reason}`, r.at);
  const located = Object.fromEntries(a.steps.map((s, i) => [stepKey(s), r.nodes[i]!]));
  return pass(`${names} run unconditionally in that order`, r.nodes[a.at ?? 0], located);
};
