import { z } from 'zod';
import { SoakPhase, SoakSample } from '../../reports/schemas/qa-result.ts';

/** IPC messages from a soak child (soak-entry.ts) to the soak runner; parsed, since they cross a process. */
export const SoakMessage = z.discriminatedUnion('type', [
  z.object({ type: z.literal('ready'), port: z.number() }),
  // A report sample without the wall time, which the runner stamps on arrival.
  SoakSample.omit({ tS: true }).extend({ type: z.literal('sample') }),
  z.object({
    type: z.literal('done'),
    steps: z.number().int().min(0),
    messages: z.number().min(0),
    listingTurns: z.number().int().min(0),
    restWaitsCut: z.number().int().min(0),
    messageWaitsCut: z.number().int().min(0),
    cpuS: z.number().min(0).optional(),
  }),
  z.object({ type: z.literal('error'), reason: z.string() }),
  // A heap snapshot written (when the runner asked for them) at a phase's first or last sample.
  z.object({
    type: z.literal('snapshot'),
    phase: SoakPhase,
    edge: z.enum(['first', 'last']),
    file: z.string().min(1),
    ms: z.number().min(0),
    mb: z.number().min(0),
  }),
]);
export type SoakMessage = z.infer<typeof SoakMessage>;

export type SoakBuildName = 'real' | 'fix-removed';

/** Env vars naming the build a soak child runs and its plan (JSON, checks/soak/soak-config.ts's SoakPlan). */
export const SOAK_BUILD_ENV = 'LEAKPROOF_SOAK_BUILD';
export const SOAK_PLAN_ENV = 'LEAKPROOF_SOAK_PLAN';
/** Where a soak child writes its heap snapshots; unset, it writes none. */
export const SOAK_HEAP_DIR_ENV = 'LEAKPROOF_SOAK_HEAP_DIR';
