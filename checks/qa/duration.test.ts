import { describe, expect, it } from 'vitest';
import { parseDurationS } from './duration.ts';

describe('parseDurationS', () => {
  it.each([
    ['20s', 20],
    ['10m', 600],
    ['1h', 3600],
    ['90', 90],
    ['2.5m', 150],
  ])('%s -> %d s', (text, seconds) => expect(parseDurationS(text)).toEqual({ ok: true, seconds }));

  it.each([
    ['ten', 'is not a duration'],
    ['5d', 'is not a duration'],
    ['1s', 'shorter than 2s'],
    ['7h', 'longer than the 6h bound'],
  ])('%s is refused: %s', (text, reason) => {
    const parsed = parseDurationS(text);
    expect(parsed.ok).toBe(false);
    if (!parsed.ok) expect(parsed.reason).toContain(reason);
  });
});
