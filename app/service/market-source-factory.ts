import type { ServiceConfig } from '../config/config-schema.ts';
import type { Clock } from '../core/clock.ts';
import { createCcxtSource, type CcxtSourceOptions } from '../exchange/ccxt-source.ts';
import type { MarketSource } from '../exchange/market-source.ts';
import type { SourceContext } from './start-service.ts';

/**
 * The emulator is imported here, lazily and only in sim mode, so a bybit run never loads app/sim and
 * the static import closure of app/main.ts (the bybit runtime file set) holds none of it. Its return type
 * is inferred from the dynamic import for the same reason: a type-only import of app/sim is an edge too.
 */
export async function startSimEmulator(config: ServiceConfig, clock: Clock | undefined) {
  const [{ startEmulator }, { emulatorOptions }] = await Promise.all([import('../sim/emulator.ts'), import('./sim-options.ts')]);
  return startEmulator(emulatorOptions(config, clock));
}

/**
 * ccxt's bybit: at the emulator in sim mode (loopback only), at the real exchange otherwise. API keys
 * are passed only when both halves are set; public market data needs none.
 */
export function createDefaultSource(ctx: SourceContext): MarketSource {
  const { config, secrets, clock, emulator, log } = ctx;
  const r = config.rest;
  const options: CcxtSourceOptions = {
    timeframes: config.timeframes,
    // One budget for every REST call, in the service clock's seconds (simulated ones in sim mode).
    callsPerSecond: r.callsPerSecond,
    clockSpeed: emulator?.clock.speed ?? 1,
    restPause: { banMs: r.banSeconds * 1000, probeMs: r.probeSeconds * 1000, maxProbeMs: r.maxProbeSeconds * 1000, maxResetWaitMs: r.maxResetWaitSeconds * 1000 },
    log: { warn: (m) => log.warn(m), info: (m) => log.info(m) },
    orderBookDepth: config.limits.orderbookDepth,
    ...(clock ? { clock } : {}),
    ...(secrets.apiKey && secrets.secret ? { credentials: { apiKey: secrets.apiKey, secret: secrets.secret } } : {}),
  };
  if (emulator) return createCcxtSource({ ...options, restBaseUrl: emulator.url, wsUrl: emulator.wsUrl });
  const { restUrl, wsUrl } = config.bybit;
  return createCcxtSource({ ...options, allowNonLoopback: true, ...(restUrl ? { restBaseUrl: restUrl } : {}), ...(wsUrl ? { wsUrl } : {}) });
}
