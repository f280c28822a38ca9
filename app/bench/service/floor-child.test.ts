// @module-tag e2e
import { describe, expect, it } from 'vitest';
import { runProbe } from './run-probe.ts';

const short = { shards: 1, rate: 2000, symbols: 5, speed: 60, warmSeconds: 2, windowSeconds: 3 } as const;

describe('the floors of a capacity probe', () => {
  it('the ccxt floor runs ccxt pro\'s own handlers (its order books fill), the bare floor does not load ccxt', async () => {
    const { reports: [ccxt], emulatorCores } = await runProbe({ kind: 'ccxt-floor', ...short });
    const [bare] = (await runProbe({ kind: 'floor', ...short })).reports;
    // The emulator pushed 2000 msg/s in its own process: that costs it CPU, and less than a core.
    expect(emulatorCores).toBeGreaterThan(0);
    expect(emulatorCores).toBeLessThan(1);
    expect(ccxt?.messages).toBeGreaterThan(0);
    expect(ccxt?.label).toMatch(/^ccxt floor: 5 symbols, 40 topics, ccxt holds 5 order books$/);
    expect(bare?.messages).toBeGreaterThan(0);
    expect(bare?.label).toBe('floor: 5 symbols, 40 topics');
  }, 120_000);
});
