import type { Clock } from '../../app/core/clock.ts';

/**
 * What every deploy step returns: failures are values, the CLI edge decides the exit code. The evidence
 * is absent when the step threw before it could produce any, so callers must handle `undefined`.
 */
export interface StepResult<E = unknown> {
  name: string;
  ok: boolean;
  reason: string;
  evidence: E | undefined;
  durationMs: number;
}

export type StepOutcome<E> = { ok: boolean; reason: string; evidence: E };

export const passed = <E>(evidence: E, reason = ''): StepOutcome<E> => ({ ok: true, reason, evidence });
export const failed = <E = undefined>(reason: string, evidence?: E): StepOutcome<E | undefined> => ({ ok: false, reason, evidence });

export async function timed<E>(name: string, clock: Clock, fn: () => Promise<StepOutcome<E>>): Promise<StepResult<E>> {
  const start = clock.now();
  try {
    const r = await fn();
    return { name, ...r, durationMs: clock.now() - start };
  } catch (err) {
    // A bug or an unexpected library throw still becomes a value, so the restore path runs.
    return { name, ok: false, reason: `${name}: ${err instanceof Error ? err.message : String(err)}`, evidence: undefined, durationMs: clock.now() - start };
  }
}

/** Why a cut-short wait stopped: the deploy aborts with a string reason ("interrupted (SIGINT)", "lock lost: ..."). */
export const stopReason = (signal: AbortSignal): string => (typeof signal.reason === 'string' ? signal.reason : 'interrupted');

/** Step progress for the CLI (a live view on a TTY, one line per step in CI logs). */
export type StepEvent =
  | { host: string; step: string; phase: 'start' }
  | { host: string; step: string; phase: 'end'; ok: boolean; durationMs: number; reason: string };
export type OnStep = (e: StepEvent) => void;
export type StepRunner = <E>(name: string, fn: () => Promise<StepOutcome<E>>) => Promise<StepResult<E>>;

/** Runs steps timed, appends each result to the run and reports start and end. */
export function stepRunner(run: { name: string; steps: StepResult[] }, clock: Clock, onStep?: OnStep): StepRunner {
  return async (name, fn) => {
    onStep?.({ host: run.name, step: name, phase: 'start' });
    const r = await timed(name, clock, fn);
    run.steps.push(r);
    onStep?.({ host: run.name, step: name, phase: 'end', ok: r.ok, durationMs: r.durationMs, reason: r.reason });
    return r;
  };
}
