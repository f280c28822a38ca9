import type { ServiceConfig } from '../config/config-schema.ts';
import type { Clock } from '../core/clock.ts';
import type { EmulatorOptions } from '../sim/emulator.ts';
import type { Faults } from '../sim/faults.ts';
import { SimClock } from '../sim/sim-clock.ts';

/** Config's fault rates → the emulator's switches; a zero rate leaves the switch out. */
export function simFaults(f: ServiceConfig['sim']['faults']): Faults {
  return {
    ...(f.rateLimit.rate > 0 ? { rateLimit: { rate: f.rateLimit.rate } } : {}),
    ...(f.serverError.rate > 0 ? { serverError: { rate: f.serverError.rate } } : {}),
    ...(f.slow.rate > 0 ? { slow: { rate: f.slow.rate, delayMs: f.slow.delayMs } } : {}),
    ...(f.malformedEvery > 0 ? { malformedEvery: f.malformedEvery } : {}),
    ...(f.wsDisconnectEveryMs > 0 ? { wsDisconnectEveryMs: f.wsDisconnectEveryMs } : {}),
  };
}

/** The emulator on an ephemeral loopback port; it shares an injected SimClock, else makes its own. */
export function emulatorOptions(config: ServiceConfig, clock: Clock | undefined): EmulatorOptions {
  return {
    port: 0,
    seed: config.sim.seed,
    symbols: config.sim.symbols,
    speed: config.sim.speed,
    wsRate: config.sim.msgRate,
    faults: simFaults(config.sim.faults),
    ...(clock instanceof SimClock ? { clock } : {}),
  };
}
