import { setImmediate as nextTurn, setTimeout as pause } from 'node:timers/promises';
import type { SoakWorkload } from './soak-config.ts';

export interface DriveDeps {
  clock: { advance(ms: number): void };
  workload: SoakWorkload;
  /** The emulator's WS stream: messages pushed so far, and its push rate switched on or off. */
  stream: { pushed(): number; flow(on: boolean): void };
  /** REST calls of the service in flight. */
  restInFlight(): number;
  /** Called every `sampleEverySimMinutes`, with the simulated hours done and the messages so far. */
  sample(at: { simH: number; messages: number }): Promise<void> | void;
  signal?: AbortSignal;
  /**
   * Real ms a step may wait for its REST calls, or for its messages, before it moves on anyway: only a
   * guard against a retry that sleeps on simulated time, far above any call's latency under load.
   */
  waitBoundMs?: number;
}

export interface DriveSummary {
  steps: number;
  messages: number;
  /** Steps that moved on with REST calls still in flight (a retry sleeping on simulated time). */
  restWaitsCut: number;
  /** Steps that moved on short of their messages (no listed topic subscribed at that moment). */
  messageWaitsCut: number;
}

/** Waits until `done()` holds, polling once a real ms; false when `boundMs` ran out first. */
async function waitFor(done: () => boolean, boundMs: number, signal: AbortSignal | undefined): Promise<boolean> {
  const deadline = performance.now() + boundMs;
  while (!done()) {
    signal?.throwIfAborted();
    if (performance.now() > deadline) return false;
    await pause(1);
  }
  return true;
}

/**
 * No REST call in flight, twice in a row across two event-loop turns: a refresh woken by the last step
 * starts its calls in microtasks, and one settling call may start the next from the same pass.
 */
async function restSettled(inFlight: () => number, boundMs: number, signal: AbortSignal | undefined): Promise<boolean> {
  const deadline = performance.now() + boundMs;
  for (;;) {
    if (!(await waitFor(() => inFlight() === 0, Math.max(0, deadline - performance.now()), signal))) return false;
    await nextTurn();
    await nextTurn();
    if (inFlight() === 0) return true;
  }
}

/**
 * Runs the workload: simulated time moves `stepSimS` at a time, each step only once the service has
 * finished the REST calls the last one started and the emulator has pushed the step's share of
 * messages (counted from the first step, so a burst early does not shorten the total).
 */
export async function driveWorkload(d: DriveDeps): Promise<DriveSummary> {
  const w = d.workload;
  const bound = d.waitBoundMs ?? 30_000;
  const steps = Math.round((w.simHours * 3600) / w.stepSimS);
  const sampleEvery = Math.max(1, Math.round((w.sampleEverySimMinutes * 60) / w.stepSimS));
  const samplePhase = Math.round((w.sampleOffsetSimMinutes * 60) / w.stepSimS) % sampleEvery;
  const perStep = (w.messagesPerSimMinute * w.stepSimS) / 60;
  const first = d.stream.pushed();
  const pushed = () => d.stream.pushed() - first;
  const summary: DriveSummary = { steps: 0, messages: 0, restWaitsCut: 0, messageWaitsCut: 0 };
  d.stream.flow(false);
  for (let step = 1; step <= steps; step++) {
    d.clock.advance(w.stepSimS * 1000);
    if (!(await restSettled(d.restInFlight, bound, d.signal))) summary.restWaitsCut += 1;
    // The stream flows only while the step is short of its messages, so the count cannot run ahead
    // of simulated time on a fast machine, nor fall behind on a slow one.
    if (pushed() < step * perStep) {
      d.stream.flow(true);
      const reached = await waitFor(() => pushed() >= step * perStep, bound, d.signal);
      d.stream.flow(false);
      if (!reached) summary.messageWaitsCut += 1;
    }
    summary.steps = step;
    summary.messages = pushed();
    if (step % sampleEvery === samplePhase) await d.sample({ simH: (step * w.stepSimS) / 3600, messages: summary.messages });
  }
  return summary;
}
