import type { Statement } from 'ts-morph';
import { wholeBlock } from '../control-flow.ts';
import { fail, pass } from '../location.ts';
import { loopHolding, loopStatements } from '../loops.ts';
import { orderSteps } from '../order.ts';
import { describeStep, stepKey } from '../steps.ts';
import { scopesOf } from '../inline.ts';
import { needsAnchor, type AssertionCheck } from './context.ts';

/** The call runs once before the loop (immediate), and inside the loop after the awaited sleep (periodic). */
export const callBeforeLoopAndAfterSleep: AssertionCheck<'call-before-loop-and-after-sleep'> = (a, ctx) => {
  const c = needsAnchor(ctx);
  if (!c) return fail('call-before-loop-and-after-sleep needs an anchor');
  const [callName, sleepName] = [describeStep(a.call), describeStep(a.sleep)];
  const loop = loopHolding(scopesOf(c.body, c.seq), a.sleep);
  if (!loop) return fail(`no loop holding ${sleepName}`, c.fn);
  const before = orderSteps(c.seq, [a.call, { node: loop, label: 'the loop' }], c.body);
  if (!before.ok) return fail(`${callName} before the loop: ${before.reason}`, before.at ?? loop);
  // Leaving the loop on shutdown between the sleep and the call is the point, not a skipped cleanup.
  const inside = orderSteps(wholeBlock(loopStatements(loop) as Statement[]), [a.sleep, a.call], loop.getStatement(), { shutdownExitsAllowed: true });
  if (!inside.ok) return fail(`${callName} inside the loop after ${sleepName}: ${inside.reason}`, inside.at ?? loop);
  return pass(`${callName} runs before the loop and again after each ${sleepName}`, before.nodes[0], {
    [stepKey(a.call)]: before.nodes[0]!,
    loop,
    [stepKey(a.sleep)]: inside.nodes[0]!,
    [`${stepKey(a.call)}#periodic`]: inside.nodes[1]!,
  });
};
