/**
 * Time is injected everywhere so that tests, probes and the accelerated emulator can drive it.
 * `now()` is epoch milliseconds on this clock's timeline; `sleep` resolves after `ms` of this clock's
 * time, and rejects with the signal's reason (an AbortError) as soon as the signal aborts, mid-sleep too.
 */
export interface Clock {
  now(): number;
  sleep(ms: number, signal?: AbortSignal): Promise<void>;
}

function abortError(signal: AbortSignal): unknown {
  return signal.reason ?? new DOMException('The operation was aborted.', 'AbortError');
}

/** Wall-clock time, timers from Node's event loop. */
export const systemClock: Clock = {
  now: () => Date.now(),
  sleep: (ms, signal) =>
    new Promise<void>((resolve, reject) => {
      if (signal?.aborted) return reject(abortError(signal));
      const onAbort = () => {
        clearTimeout(timer);
        reject(abortError(signal!));
      };
      const timer = setTimeout(() => {
        signal?.removeEventListener('abort', onAbort);
        resolve();
      }, ms);
      signal?.addEventListener('abort', onAbort, { once: true });
    }),
};
