import type { Clock } from '../core/clock.ts';
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
  onError(error: unknown): void;
  /** A message arrived after one or more failures. */
  onRecovered(): void;
}

/**
 * Awaits `next()` and hands each result to `deliver`, until `signal` aborts. A failure waits a capped,
 * jittered backoff through the injected clock, then tries again: retries are unbounded in count
 * only while the signal stands, and each wait is bounded by `backoff.maxMs`.
 */
export async function streamLoop<T>(next: () => Promise<T>, deliver: (value: T) => void, deps: StreamLoopDeps): Promise<void> {
  let failures = 0;
  while (!deps.signal.aborted) {
    let value: T;
    try {
      value = await untilAborted(next(), deps.signal);
    } catch (error) {
      if (deps.signal.aborted) return;
      deps.onError(error);
      failures += 1;
      try {
        await deps.clock.sleep(backoffMs(deps.backoff, failures - 1, deps.random), deps.signal);
      } catch {
        return;
      }
      continue;
    }
    if (failures > 0) deps.onRecovered();
    failures = 0;
    try {
      deliver(value);
    } catch (error) {
      deps.onError(error);
    }
  }
}
