import { setTimeout as delay } from 'node:timers/promises';

/**
 * Time is injected everywhere so that tests, probes and the accelerated emulator can drive it.
 * `now()` is epoch milliseconds on this clock's timeline; `sleep` resolves after `ms` of this clock's
 * time, and rejects with the signal's reason (an AbortError) as soon as the signal aborts, mid-sleep too.
 */
export interface Clock {
  now(): number;
  sleep(ms: number, signal?: AbortSignal): Promise<void>;
}

/**
 * Sleeps `ms` of real time; an abort rejects at once, mid-sleep too, with the signal's own reason. Node's
 * abortable timer does the work; it rejects with an AbortError that wraps the reason, so the reason is
 * unwrapped here, because callers tell a shutdown from a failure by it.
 */
export async function abortableSleep(ms: number, signal?: AbortSignal): Promise<void> {
  try {
    await delay(ms, undefined, signal ? { signal } : {});
  } catch (error) {
    if (signal?.aborted) throw signal.reason ?? error;
    throw error;
  }
}

/** Wall-clock time, timers from Node's event loop. */
export const systemClock: Clock = {
  now: () => Date.now(),
  sleep: abortableSleep,
};
