import type { Assertion } from '../spec-schema.ts';
import { boundedOnEveryPath } from './bounded-on-every-path.ts';
import { callAfterCreation } from './call-after-creation.ts';
import { callBeforeLoopAndAfterSleep } from './call-before-loop-and-after-sleep.ts';
import type { AssertContext } from './context.ts';
import { dominates } from './dominates.ts';
import { flowsInto } from './flows-into.ts';
import { loopRunsWhileServiceRuns } from './loop-runs-while-service-runs.ts';
import { returnShape } from './return-shape.ts';
import { runsUnconditionally } from './runs-unconditionally.ts';
import type { Verdict } from '../location.ts';

/** Source-anchored assertion kinds; dependency-hygiene works on the file set instead and is run apart. */
export function checkAssertion(a: Exclude<Assertion, { kind: 'dependency-hygiene' }>, ctx: AssertContext): Verdict {
  switch (a.kind) {
    case 'dominates':
      return dominates(a, ctx);
    case 'flows-into':
      return flowsInto(a, ctx);
    case 'bounded-on-every-path':
      return boundedOnEveryPath(a, ctx);
    case 'call-before-loop-and-after-sleep':
      return callBeforeLoopAndAfterSleep(a, ctx);
    case 'loop-runs-while-service-runs':
      return loopRunsWhileServiceRuns(a, ctx);
    case 'return-shape':
      return returnShape(a, ctx);
    case 'call-after-creation':
      return callAfterCreation(a, ctx);
    case 'runs-unconditionally':
      return runsUnconditionally(a, ctx);
  }
}
