import type { StepOutcome, StepRunner } from '../remote/step.ts';

/** One step of a pipeline, as data: its name, when it applies, and how it runs over the pipeline's context. */
export interface PipelineStep<C> {
  name: string;
  when?: (c: C) => boolean;
  exec: (c: C, step: StepRunner) => Promise<{ ok: boolean; reason: string }>;
}

const isDefined = <T>(v: T): v is Exclude<T, undefined> => v !== undefined;

/**
 * A typed step: `run` yields its outcome, `keep` folds its evidence into the context. The evidence type
 * stays inside, so a list of steps with different evidence is still one `PipelineStep<C>[]`.
 */
export function defineStep<C, E>(name: string, run: (c: C) => Promise<StepOutcome<E>>, o: { when?: (c: C) => boolean; keep?: (c: C, e: Exclude<E, undefined>) => void } = {}): PipelineStep<C> {
  return {
    name,
    when: o.when,
    exec: async (c, step) => {
      const r = await step(name, () => run(c));
      if (isDefined(r.evidence)) o.keep?.(c, r.evidence);
      return r;
    },
  };
}

export type PipelineEnd = { ok: true } | { ok: false; at: string; reason: string };

/**
 * Runs the steps in order over one runner and stops at the first failure, or at the first step that
 * ends after `stopped` says why the run must stop (an interrupt, a lost lock). A step's own failure names
 * the cause best, so it wins over a stop that came during it.
 */
export async function runPipeline<C>(steps: readonly PipelineStep<C>[], c: C, step: StepRunner, stopped: () => string | undefined = () => undefined): Promise<PipelineEnd> {
  for (const s of steps) {
    if (s.when && !s.when(c)) continue;
    const r = await s.exec(c, step);
    const reason = r.ok ? stopped() : r.reason;
    if (reason !== undefined) return { ok: false, at: s.name, reason };
  }
  return { ok: true };
}
