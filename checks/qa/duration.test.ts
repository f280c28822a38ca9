import { describe, expect, it } from 'vitest';
import { parseSimHours } from './duration.ts';

describe('parseSimHours', () => {
  it.each([
    ['6h', 6],
    ['90m', 1.5],
    ['30m', 0.5],
    ['48h', 48],
    ['1800', 0.5],
  ])('%s -> %d simulated hours', (text, simHours) => expect(parseSimHours(text)).toEqual({ ok: true, simHours }));

  it.each([
    ['ten', 'is not a duration'],
    ['5d', 'is not a duration'],
    ['20m', 'shorter than 30m'],
    ['49h', 'longer than the 48h bound'],
  ])('%s is refused: %s', (text, reason) => {
    const parsed = parseSimHours(text);
    expect(parsed.ok).toBe(false);
    if (!parsed.ok) expect(parsed.reason).toContain(reason);
  });
});
