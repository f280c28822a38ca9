/**
 * The most specific class name of an error, for error counters and retry decisions: ccxt names each class
 * (`RateLimitExceeded`, `NetworkError`), a subclass that sets no `name` still has its constructor's, and a
 * plain Error renamed by its thrower (`AbortError`) keeps that name. A thrown non-Error is `NonError`.
 */
export function errorKind(error: unknown): string {
  if (!(error instanceof Error)) return 'NonError';
  const ctor: unknown = error.constructor;
  const ctorName = typeof ctor === 'function' ? ctor.name : '';
  return ctorName !== '' && ctorName !== 'Error' ? ctorName : error.name || 'Error';
}
