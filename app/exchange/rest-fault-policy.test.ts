import ccxt from 'ccxt';
import { describe, expect, it } from 'vitest';
import { isNetworkError } from './ccxt-instance.ts';
import { classifyRestError } from './rest-fault-policy.ts';
import { tagRestError } from './rest-reply-tags.ts';

function tagged<E extends Error>(error: E, status: number, body?: unknown, headers?: Record<string, string>): E {
  tagRestError(error, status, headers, body);
  return error;
}

const classify = (e: unknown) => classifyRestError(e, isNetworkError);

describe('classifyRestError', () => {
  it('reads an IP ban from the 403, though ccxt calls it RateLimitExceeded like a 10006', () => {
    expect(classify(tagged(new ccxt.RateLimitExceeded('bybit GET 403 Forbidden'), 403))).toEqual({ kind: 'ipBan' });
  });

  it('reads 10006 and its reset timestamp from the reply', () => {
    const e = tagged(new ccxt.RateLimitExceeded('Too many visits'), 200, { retCode: 10006 }, { 'X-Bapi-Limit-Reset-Timestamp': '1700000001234' });
    expect(classify(e)).toEqual({ kind: 'rateLimit', resetAt: 1_700_000_001_234, reason: 'rateLimit' });
    expect(classify(tagged(new ccxt.RateLimitExceeded('x'), 200, { retCode: '10006' }))).toEqual({ kind: 'rateLimit', resetAt: undefined, reason: 'rateLimit' });
  });

  it('reads an HTTP 429 as a rate limit of its own, not as the API limit 10006', () => {
    expect(classify(tagged(new ccxt.RateLimitExceeded('bybit GET 429 Too Many Requests'), 429))).toEqual({ kind: 'rateLimit', resetAt: undefined, reason: 'http429' });
  });

  it('retries 10016 although ccxt raises a plain ExchangeError', () => {
    expect(classify(tagged(new ccxt.ExchangeError('System error'), 200, { retCode: 10016 }))).toEqual({ kind: 'transient' });
    expect(classify(tagged(new ccxt.ExchangeError('other'), 200, { retCode: 10029 }))).toEqual({ kind: 'fatal' });
  });

  it('treats untagged ccxt errors by class', () => {
    expect(classify(new ccxt.RateLimitExceeded('429'))).toEqual({ kind: 'rateLimit', resetAt: undefined, reason: 'rateLimit' });
    expect(classify(new ccxt.RequestTimeout('t'))).toEqual({ kind: 'transient' });
    expect(classify(new ccxt.ExchangeNotAvailable('503'))).toEqual({ kind: 'transient' });
    expect(classify(new ccxt.BadRequest('params'))).toEqual({ kind: 'fatal' });
    expect(classify(new Error('plain'))).toEqual({ kind: 'fatal' });
  });
});
