import { conditionBetween, exitIn, seqIndex } from '../control-flow.ts';
import { excerpt, fail, pass } from '../location.ts';
import { describeStep, findStepNodes, stepKey } from '../steps.ts';
import { scopesOf } from '../inline.ts';
import { needsAnchor, type AssertionCheck } from './context.ts';
import type { Node } from 'ts-morph';

/** An earlier statement that always ends the run: a return/throw, or an unconditional process-ending call. */
function exitBefore(stmt: Node, exits: readonly string[]): Node | undefined {
  const thrown = exitIn(stmt);
  if (thrown) return thrown;
  return exits
    .flatMap((call) => findStepNodes(stmt, { call, viaLocalHelper: true }))
    .find((n) => !conditionBetween(n, stmt));
}

/**
 * The step runs whenever the anchor runs: in its own statement run (for a module anchor, the file's top
 * level), not under a condition, loop, catch or nested function, and no earlier statement leaves or ends the
 * process first. An entry point that only defines its start, or starts it behind a flag, starts nothing.
 */
export const runsUnconditionally: AssertionCheck<'runs-unconditionally'> = (a, ctx) => {
  const c = needsAnchor(ctx);
  if (!c) return fail('runs-unconditionally needs an anchor');
  const name = describeStep(a.step);
  const nodes = findStepNodes(scopesOf(c.body, c.seq), a.step).filter((n) => seqIndex(c.seq, n) >= 0);
  if (nodes.length === 0) return fail(`${name} not found`, c.fn);
  let problem = { reason: '', at: nodes[0]! as Node };
  for (const node of nodes) {
    const idx = seqIndex(c.seq, node);
    const g = conditionBetween(node, c.seq.statements[idx]!);
    if (g) {
      problem = { reason: `${name} is ${g.reason}, so it may not run`, at: g.at };
      continue;
    }
    const exit = c.seq.statements
      .slice(0, idx)
      .map((s) => exitBefore(s, a.exits))
      .find((e) => e !== undefined);
    if (exit) {
      problem = { reason: `${name} never runs: \`${excerpt(exit, 40)}\` ends the run before it`, at: exit };
      continue;
    }
    return pass(`${name} runs unconditionally`, node, { [stepKey(a.step)]: node });
  }
  return fail(problem.reason, problem.at);
};
