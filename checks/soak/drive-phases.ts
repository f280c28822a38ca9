import { setImmediate as nextTurn, setTimeout as pause } from 'node:timers/promises';
import type { SoakPhase } from '../../reports/schemas/qa-result.ts';
import type { SoakPlan } from './soak-config.ts';

/** The work done so far, in each unit the soak measures. */
export interface WorkDone {
  phase: SoakPhase;
  messages: number;
  listingTurns: number;
  simH: number;
}

export interface PhaseDeps {
  clock: { advance(ms: number): void };
  plan: SoakPlan;
  /** The emulator's WS stream: data messages pushed, messages the service's ccxt took in, on or off. */
  stream: { pushed(): number; received(): number; flow(on: boolean): void };
  /** REST calls of the service in flight. */
  restInFlight(): number;
  /** Symbols listed and delisted so far (the emulator's rotations times their step). */
  listingTurns(): number;
  /** After each block of a phase's work (and once before the first). */
  sample(at: WorkDone): Promise<void> | void;
  /**
   * After a phase's last sample: how many more blocks of its work to run between two heap snapshots, so
   * that what grew can be read (0: the phase did not grow, no snapshot). These blocks are never sampled,
   * so a snapshot cannot move a judged sample.
   */
  bracket?(phase: SoakPhase): number;
  snapshot?(phase: SoakPhase, edge: 'first' | 'last'): Promise<void> | void;
  signal?: AbortSignal;
  /**
   * Real ms a step may wait for its REST calls, or a burst for its messages, before it moves on anyway:
   * only a guard against a retry that sleeps on simulated time, far above any call's latency under load.
   */
  waitBoundMs?: number;
}

export interface DriveSummary {
  steps: number;
  messages: number;
  listingTurns: number;
  /** Steps that moved on with REST calls still in flight (a retry sleeping on simulated time). */
  restWaitsCut: number;
  /** Bursts that moved on short of their messages (no listed topic subscribed at that moment). */
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
 * Runs the plan: a warm-up of listing turns, the listing phase (rotations with a few messages each),
 * a fill burst, the message phase (bursts at full speed, one cleanup period after each), then the hour
 * phase (simulated time alone). Samples sit half a block after each rotation and cleanup, so every one
 * sees the same point of the cycle.
 */
export async function drivePhases(d: PhaseDeps): Promise<DriveSummary> {
  const p = d.plan;
  const bound = d.waitBoundMs ?? 30_000;
  const first = d.stream.pushed();
  const summary: DriveSummary = { steps: 0, messages: 0, listingTurns: 0, restWaitsCut: 0, messageWaitsCut: 0 };
  let simMs = 0;

  const burst = async (count: number) => {
    const target = d.stream.pushed() + count;
    d.stream.flow(true);
    const reached = await waitFor(() => d.stream.pushed() >= target, bound, d.signal);
    d.stream.flow(false);
    if (!reached) summary.messageWaitsCut += 1;
    // What was pushed is taken in before the sample: the service's count stops moving.
    let seen = -1;
    await waitFor(() => seen === (seen = d.stream.received()), bound, d.signal);
  };
  /** Moves simulated time on, a step at a time, paying `messages` spread over the steps. */
  const advance = async (simS: number, messages = 0, stepSimS = p.stepSimS) => {
    if (simS <= 0) return;
    const steps = Math.max(1, Math.round(simS / stepSimS));
    for (let i = 0; i < steps; i++) {
      d.clock.advance((simS / steps) * 1000);
      simMs += (simS / steps) * 1000;
      summary.steps += 1;
      if (!(await restSettled(d.restInFlight, bound, d.signal))) summary.restWaitsCut += 1;
      if (messages > 0) await burst(Math.round(messages / steps));
    }
  };
  const sample = async (phase: SoakPhase) => {
    summary.messages = d.stream.pushed() - first;
    summary.listingTurns = d.listingTurns();
    await d.sample({ phase, messages: summary.messages, listingTurns: summary.listingTurns, simH: simMs / 3_600_000 });
  };
  /** The phase's samples, then its bracket; `reserved` blocks of work run after it whether read or not. */
  const phase = async (name: SoakPhase, blocks: number, work: () => Promise<void>, reserved = 0) => {
    await sample(name);
    for (let i = 1; i <= blocks; i++) {
      await work();
      await sample(name);
    }
    const extra = d.bracket?.(name) ?? 0;
    if (extra > 0) await d.snapshot?.(name, 'first');
    for (let i = 0; i < Math.max(extra, reserved); i++) await work();
    if (extra > 0) await d.snapshot?.(name, 'last');
  };

  d.stream.flow(false);
  // Until the hour phase a block is two steps, so each loop runs about twice a block, which is all a
  // listing turn or a burst needs; the hour phase runs at the production cadence. The first step sees
  // the rotation (the universe drops the delisted symbols), the second a cleanup that came after it
  // (they are evicted), so every sample finds the same live universe.
  const block = (messages = 0) => advance(p.blockSimS, messages, p.blockSimS / 2);
  await advance(p.blockSimS / 2, 0, p.blockSimS);
  for (let i = 0; i < p.warmupTurns; i++) await block(p.messagesPerTurn);
  // The rotation is a function of simulated time: its bracket turns come whether they are read or not.
  await phase('listing', p.listingBlocks, () => block(p.messagesPerTurn), p.bracketTurns);
  // The fill ends with a block, as each burst of the phase does: the first sample sees the same settled state.
  await burst(p.fillMessages);
  await block();
  await phase('message', p.messageBlocks, async () => {
    await burst(p.messagesPerBlock);
    await block();
  });
  await phase('hour', Math.max(1, Math.round((p.simHours * 3600) / p.blockSimS)), () => advance(p.blockSimS));
  return summary;
}
