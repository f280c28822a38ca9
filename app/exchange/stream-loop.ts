import type { Clock } from '../core/clock.ts';
import type { DeliveryTap } from './delivery-tap.ts';
import { backoffMs, type RetryPolicy } from './retry.ts';

/** Awaits `promise` unless `signal` aborts first; adds and removes one listener per call, so no leak. */
export function untilAborted<T>(promise: Promise<T>, signal: AbortSignal): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const onAbort = () => reject(signal.reason);
    if (signal.aborted) onAbort();
    else signal.addEventListener('abort', onAbort, { once: true });
    promise.then(
      (value) => {
        signal.removeEventListener('abort', onAbort);
        resolve(value);
      },
      (error: unknown) => {
        signal.removeEventListener('abort', onAbort);
        reject(error instanceof Error ? error : new Error(String(error)));
      },
    );
  });
}

export interface StreamLoopDeps {
  clock: Clock;
  signal: AbortSignal;
  backoff: RetryPolicy;
  random: () => number;
  tap: DeliveryTap;
  onError(error: unknown): void;
  /** A message arrived after one or more failures. */
  onRecovered(): void;
  /** The exchange refused the subscription (an error reply, not a lost connection). */
  isRefusal(error: unknown): boolean;
  /** Refusals in a row after which the loop gives up on the stream for a while. */
  maxRefusals: number;
  /** The wait after a give-up before the stream is tried again, growing with each give-up in a row. */
  revive: RetryPolicy;
  /** The loop gave up at `at` after `refusals` refusals in a row (`drops` times in a row); it tries again at `retryAt`. */
  onDropped(error: unknown, drop: { refusals: number; drops: number; at: number; retryAt: number }): void;
  /** A message arrived on a stream that had been given up on. */
  onRevived(): void;
}

/** No failure yet, as opposed to a failure whose value is undefined. */
const NONE: unique symbol = Symbol('no failure');

/**
 * One subscription: `subscribe()` (a ccxt watch* call) runs once per (re)connection and settles at the
 * first message; every message of `messageHash`, that first one included, reaches `deliver` through
 * the tap, synchronously and with no promise per message. A failure (the watch rejects, or the tap
 * reports the hash or its connection failed) waits a capped, jittered backoff through the injected
 * clock, then subscribes again: unbounded in count only while `signal` stands, each wait bounded by
 * `backoff.maxMs`. A stream the exchange refuses `maxRefusals` times in a row (it has no handler for the
 * topic: the symbol stopped trading, the topic is wrong, or a passing fault) is given up, and
 * `onDropped` says so; after the `revive` wait it gets a new round, so a passing refusal cannot leave a
 * stream dead while its symbol is watched. At most one subscribe per round and `revive.maxMs` ms.
 */
export async function streamLoop(messageHash: string, subscribe: () => Promise<unknown>, deliver: (value: unknown) => void, deps: StreamLoopDeps): Promise<void> {
  let failure: unknown = NONE;
  let wake: (() => void) | undefined;
  const stopListening = deps.tap.listen(messageHash, {
    deliver(value) {
      try {
        deliver(value);
      } catch (error) {
        deps.onError(error);
      }
    },
    fail(error) {
      if (failure === NONE) failure = error;
      wake?.();
    },
  });
  let failures = 0;
  let refusals = 0;
  let drops = 0;
  try {
    while (!deps.signal.aborted) {
      failure = NONE;
      try {
        await untilAborted(subscribe(), deps.signal);
        if (failures > 0) deps.onRecovered();
        if (drops > 0) deps.onRevived();
        failures = 0;
        refusals = 0;
        drops = 0;
        await failed(() => failure !== NONE, (w) => (wake = w), deps.signal);
      } catch (error) {
        // The watch's own rejection; the tap may have reported the same failure.
        failure = error;
      }
      wake = undefined;
      if (deps.signal.aborted) return;
      deps.onError(failure);
      failures += 1;
      refusals = deps.isRefusal(failure) ? refusals + 1 : 0;
      let waitMs = backoffMs(deps.backoff, failures - 1, deps.random);
      if (refusals >= deps.maxRefusals) {
        drops += 1;
        waitMs = backoffMs(deps.revive, drops - 1, deps.random);
        const at = deps.clock.now();
        deps.onDropped(failure, { refusals, drops, at, retryAt: at + waitMs });
        refusals = 0;
      }
      try {
        await deps.clock.sleep(waitMs, deps.signal);
      } catch {
        return;
      }
    }
  } finally {
    stopListening();
  }
}

/** Settles when `hasFailed()` holds (checked now and at each wake-up) or the signal aborts. */
function failed(hasFailed: () => boolean, setWake: (wake: () => void) => void, signal: AbortSignal): Promise<void> {
  if (hasFailed() || signal.aborted) return Promise.resolve();
  return new Promise<void>((resolve) => {
    const done = () => {
      signal.removeEventListener('abort', done);
      resolve();
    };
    signal.addEventListener('abort', done, { once: true });
    setWake(done);
  });
}
