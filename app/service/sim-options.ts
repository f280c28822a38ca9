import type { ServiceConfig } from '../config/config-schema.ts';
import type { Clock } from '../core/clock.ts';
import type { EmulatorOptions } from '../sim/emulator.ts';
import type { Faults } from '../sim/faults.ts';
import { SimClock } from '../sim/sim-clock.ts';

/** Config's fault rates → the emulator's switches; a zero rate leaves the switch out. */
export function simFaults(f: ServiceConfig['sim']['faults']): Faults {
  return {
    ...(f.rateLimit.rate > 0 ? { rateLimit: { rate: f.rateLimit.rate } } : {}),
    ...(f.systemError.rate > 0 ? { systemError: { rate: f.systemError.rate } } : {}),
    ...(f.ipBan.rate > 0 ? { ipBan: { rate: f.ipBan.rate, durationMs: f.ipBan.durationSeconds * 1000 } } : {}),
    ...(f.serverError.rate > 0 ? { serverError: { rate: f.serverError.rate } } : {}),
    ...(f.slow.rate > 0 ? { slow: { rate: f.slow.rate, delayMs: f.slow.delayMs } } : {}),
    ...(f.malformedEvery > 0 ? { malformedEvery: f.malformedEvery } : {}),
    ...(f.wsDisconnectEveryMs > 0 ? { wsDisconnectEveryMs: f.wsDisconnectEveryMs } : {}),
  };
}

/** Config's listing schedule → the emulator's rotation; everySeconds 0 leaves it out. */
export function simRotation(sim: ServiceConfig['sim']): Pick<EmulatorOptions, 'rotation'> {
  const r = sim.rotation;
  if (r.everySeconds === 0) return {};
  const size = r.listed > 0 ? r.listed : sim.symbols - r.step;
  const delisting = { status: r.leavingStatus, statusLeadMs: r.statusLeadSeconds * 1000, lingerMs: r.lingerSeconds * 1000 };
  return { rotation: { size, everyMs: r.everySeconds * 1000, step: r.step, ...(r.turns > 0 ? { turns: r.turns } : {}), delisting } };
}

/** The emulator on an ephemeral loopback port; it shares an injected SimClock, else makes its own. */
export function emulatorOptions(config: ServiceConfig, clock: Clock | undefined): EmulatorOptions {
  return {
    port: 0,
    seed: config.sim.seed,
    symbols: config.sim.symbols,
    speed: config.sim.speed,
    ...(config.sim.msgRate > 0 ? { wsRate: config.sim.msgRate } : {}),
    faults: simFaults(config.sim.faults),
    ...simRotation(config.sim),
    ...(clock instanceof SimClock ? { clock } : {}),
  };
}
