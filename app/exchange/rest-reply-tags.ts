/**
 * What ccxt's error classes lose: the HTTP status, Bybit's retCode and the reset header of the reply
 * an error came from. ccxt maps both an IP ban (403) and an API limit (10006) to RateLimitExceeded,
 * and 10016 to a plain ExchangeError, so the retry policy needs the reply itself.
 */
export interface RestReplyTag {
  status: number;
  retCode: number | undefined;
  /** `X-Bapi-Limit-Reset-Timestamp`, epoch ms, when the reply had one. */
  resetAt: number | undefined;
}

const tags = new WeakMap<object, RestReplyTag>();

export function restReplyTag(error: unknown): RestReplyTag | undefined {
  return typeof error === 'object' && error !== null ? tags.get(error) : undefined;
}

const numberOrUndefined = (v: unknown): number | undefined => {
  const n = typeof v === 'string' || typeof v === 'number' ? Number(v) : Number.NaN;
  return Number.isFinite(n) ? n : undefined;
};

function headerValue(headers: unknown, name: string): unknown {
  if (typeof headers !== 'object' || headers === null) return undefined;
  const wanted = name.toLowerCase();
  for (const [k, v] of Object.entries(headers)) if (k.toLowerCase() === wanted) return v;
  return undefined;
}

/** Tags `error` with the reply it was raised for; `body` is ccxt's parsed JSON (or undefined). */
export function tagRestError(error: unknown, status: number, headers: unknown, body: unknown): void {
  if (typeof error !== 'object' || error === null) return;
  const retCode = typeof body === 'object' && body !== null && 'retCode' in body ? numberOrUndefined(body.retCode) : undefined;
  tags.set(error, { status, retCode, resetAt: numberOrUndefined(headerValue(headers, 'x-bapi-limit-reset-timestamp')) });
}
