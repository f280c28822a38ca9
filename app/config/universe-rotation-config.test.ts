import { describe, expect, it } from 'vitest';
import { emulatorOptions } from '../service/sim-options.ts';
import { loadConfig } from './load-config.ts';

describe('universe and sim.rotation config', () => {
  it('ranks USDT perps with a rank margin of 2 and no listing changes by default', () => {
    const r = loadConfig({ env: {} });
    if (!r.ok) throw new Error(r.reason);
    expect(r.config.universe).toEqual({ quote: 'USDT', settle: 'USDT', rankMargin: 2 });
    expect(emulatorOptions(r.config, undefined).rotation).toBeUndefined();
  });

  it('takes overrides from the environment and maps the rotation onto the emulator', () => {
    const r = loadConfig({
      env: {
        LEAKPROOF_UNIVERSE_QUOTE: 'USDC',
        LEAKPROOF_UNIVERSE_SETTLE: 'any',
        LEAKPROOF_UNIVERSE_RANK_MARGIN: '0',
        LEAKPROOF_SIM_SYMBOLS: '30',
        LEAKPROOF_SIM_ROTATION_EVERY_SECONDS: '600',
        LEAKPROOF_SIM_ROTATION_STEP: '2',
      },
    });
    if (!r.ok) throw new Error(r.reason);
    expect(r.config.universe).toEqual({ quote: 'USDC', settle: 'any', rankMargin: 0 });
    expect(emulatorOptions(r.config, undefined).rotation).toEqual({ size: 28, everyMs: 600_000, step: 2, delisting: { status: 'Settling', statusLeadMs: 600_000, lingerMs: 120_000 } });
  });

  it.each([
    [{ LEAKPROOF_UNIVERSE_QUOTE: 'usdt' }, 'universe.quote'],
    [{ LEAKPROOF_UNIVERSE_RANK_MARGIN: '-1' }, 'universe.rankMargin: must be ≥ 0'],
    [{ LEAKPROOF_SIM_ROTATION_EVERY_SECONDS: '60', LEAKPROOF_SIM_ROTATION_LISTED: '25' }, 'sim.rotation.listed: must be ≤ sim.symbols (20)'],
    [{ LEAKPROOF_SIM_ROTATION_EVERY_SECONDS: '60', LEAKPROOF_SIM_ROTATION_STEP: '20' }, 'sim.rotation.step: must be < sim.symbols (20)'],
  ])('rejects %o naming the field and the reason', (env, reason) => {
    const r = loadConfig({ env });
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.reason).toContain(reason);
  });
});
