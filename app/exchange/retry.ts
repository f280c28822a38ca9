import type { Clock } from '../core/clock.ts';

export interface RetryPolicy {
  /** Total tries, the first included. */
  attempts: number;
  baseMs: number;
  maxMs: number;
  /** 0..1: the share of each delay drawn at random ("equal jitter" at 0.5). */
  jitter: number;
}

export const defaultRestRetry: RetryPolicy = { attempts: 4, baseMs: 250, maxMs: 5_000, jitter: 0.5 };
export const defaultReconnect: RetryPolicy = { attempts: Infinity, baseMs: 500, maxMs: 30_000, jitter: 0.5 };

/** Rejects a policy that could not bound a loop, naming the field. */
export function checkPolicy(name: string, p: RetryPolicy): RetryPolicy {
  const fail = (field: string, why: string) => {
    throw new RangeError(`${name}.${field} ${why}`);
  };
  if (!(p.attempts >= 1)) fail('attempts', `must be >= 1, got ${String(p.attempts)}`);
  if (!(Number.isFinite(p.baseMs) && p.baseMs >= 0)) fail('baseMs', `must be a finite number >= 0, got ${String(p.baseMs)}`);
  if (!(Number.isFinite(p.maxMs) && p.maxMs >= p.baseMs)) fail('maxMs', `must be finite and >= baseMs, got ${String(p.maxMs)}`);
  if (!(p.jitter >= 0 && p.jitter <= 1)) fail('jitter', `must be within [0, 1], got ${String(p.jitter)}`);
  return p;
}

/** Delay before retry number `retry` (0-based): exponential, capped, then jittered downwards. */
export function backoffMs(p: RetryPolicy, retry: number, random: () => number): number {
  const capped = Math.min(p.maxMs, p.baseMs * 2 ** Math.min(retry, 30));
  return capped * (1 - p.jitter * random());
}


export interface RetryDeps {
  policy: RetryPolicy;
  clock: Clock;
  random: () => number;
  isRetryable(error: unknown): boolean;
  /** Every failure, retried or not, before the decision. */
  onError(error: unknown): void;
  signal?: AbortSignal;
}

/** Runs `task`, retrying retryable failures with backoff; at most `policy.attempts` tries. */
export async function withRetry<T>(task: () => Promise<T>, deps: RetryDeps): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    deps.signal?.throwIfAborted();
    try {
      return await task();
    } catch (error) {
      if (deps.signal?.aborted) throw deps.signal.reason;
      deps.onError(error);
      if (!deps.isRetryable(error) || attempt >= deps.policy.attempts) throw error;
      await deps.clock.sleep(backoffMs(deps.policy, attempt - 1, deps.random), deps.signal);
    }
  }
}
