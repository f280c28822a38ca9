import { describe, expect, it } from 'vitest';
import { assertLoopback, isLoopbackUrl } from './loopback-guard.ts';

describe('loopback guard', () => {
  it.each([
    ['http://127.0.0.1:9400/v5/market/time', true],
    ['ws://127.5.6.7/v5/public/linear', true],
    ['http://[::1]:80/', true],
    ['http://localhost:1/', true],
    ['https://api.bybit.com/v5/market/time', false],
    ['wss://stream.bybit.com/v5/public/linear', false],
    ['http://128.0.0.1/', false],
    ['http://10.200.1.2/', false],
    ['http://127.0.0.1.evil.com/', false],
    ['not a url', false],
  ])('%s -> %s', (url, expected) => {
    expect(isLoopbackUrl(url)).toBe(expected);
  });

  it('names what it refused', () => {
    expect(() => assertLoopback('https://api.bybit.com/v5/x', 'REST request')).toThrow(
      'REST request: refused non-loopback URL https://api.bybit.com (allowNonLoopback is false)',
    );
  });
});
