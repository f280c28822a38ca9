import { restReplyTag } from './rest-reply-tags.ts';

/**
 * What a failed REST call means for the whole client, not just for the call:
 * - `ipBan`: HTTP 403, Bybit's IP ban (at least 10 minutes): every REST job must pause;
 * - `rateLimit`: retCode 10006/10018, or an HTTP 429 (its own `reason`): wait until the reset timestamp when there is one;
 * - `transient`: retCode 10016 (system error), timeouts, 5xx, dropped connections: retry with backoff;
 * - `fatal`: anything else (bad params, unknown symbol): retrying cannot help.
 */
export type RestVerdict = { kind: 'ipBan' } | { kind: 'rateLimit'; resetAt: number | undefined; reason: 'rateLimit' | 'http429' } | { kind: 'transient' } | { kind: 'fatal' };

const RATE_LIMIT_CODES = new Set([10006, 10018]);
const RETRYABLE_CODES = new Set([10016]);

/** `isNetworkError` is ccxt's NetworkError test (RequestTimeout, ExchangeNotAvailable, DDoSProtection, RateLimitExceeded...). */
export function classifyRestError(error: unknown, isNetworkError: (e: unknown) => boolean): RestVerdict {
  const tag = restReplyTag(error);
  if (tag?.status === 403) return { kind: 'ipBan' };
  if (tag?.status === 429) return { kind: 'rateLimit', resetAt: tag.resetAt, reason: 'http429' };
  if (tag?.retCode !== undefined && RATE_LIMIT_CODES.has(tag.retCode)) return { kind: 'rateLimit', resetAt: tag.resetAt, reason: 'rateLimit' };
  if (tag?.retCode !== undefined && RETRYABLE_CODES.has(tag.retCode)) return { kind: 'transient' };
  if (error instanceof Error && error.name === 'RateLimitExceeded') return { kind: 'rateLimit', resetAt: tag?.resetAt, reason: 'rateLimit' };
  return isNetworkError(error) ? { kind: 'transient' } : { kind: 'fatal' };
}
