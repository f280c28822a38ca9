import ccxt from 'ccxt';
import { describe, expect, it } from 'vitest';
import { errorKind } from './error-kind.ts';

class Unnamed extends Error {}

describe('errorKind', () => {
  it('names ccxt errors by their class', () => {
    expect(errorKind(new ccxt.RateLimitExceeded('x'))).toBe('RateLimitExceeded');
    expect(errorKind(new ccxt.BadSymbol('x'))).toBe('BadSymbol');
  });

  it('prefers the subclass over an inherited name, and a thrower-set name over plain Error', () => {
    expect(errorKind(new Unnamed('x'))).toBe('Unnamed');
    expect(errorKind(Object.assign(new Error('x'), { name: 'AbortError' }))).toBe('AbortError');
    expect(errorKind(new DOMException('x', 'AbortError'))).toBe('DOMException');
    expect(errorKind(new TypeError('x'))).toBe('TypeError');
    expect(errorKind(new Error('x'))).toBe('Error');
  });

  it('calls anything else thrown NonError', () => {
    for (const thrown of ['text', 42, null, undefined, { name: 'Fake' }]) expect(errorKind(thrown)).toBe('NonError');
  });
});
