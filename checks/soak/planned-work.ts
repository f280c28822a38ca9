import { drivePhases, type WorkDone } from './drive-phases.ts';
import { rotationFor, type SoakPlan } from './soak-config.ts';

/**
 * The samples a plan asks for, by running the soak's own driver against an ideal stand-in: time moves
 * at once, every message arrives, no REST call waits. A soak on any machine, loaded or not, must sample
 * exactly this work (its message counts aside: a burst stops at the first push past its target).
 */
export async function plannedWork(plan: SoakPlan): Promise<WorkDone[]> {
  const rotation = rotationFor(plan);
  const samples: WorkDone[] = [];
  let simMs = 0;
  let pushed = 0;
  let flowing = false;
  await drivePhases({
    clock: { advance: (ms) => (simMs += ms) },
    plan,
    stream: { pushed: () => (flowing ? (pushed += plan.messagesPerBlock + plan.fillMessages) : pushed), received: () => pushed, flow: (on) => (flowing = on) },
    restInFlight: () => 0,
    listingTurns: () => Math.min(Math.floor(simMs / (rotation.everySeconds * 1000)), rotation.turns) * rotation.step,
    sample: (at) => void samples.push(at),
  });
  return samples;
}
