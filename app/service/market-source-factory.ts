import type { ServiceConfig } from '../config/config-schema.ts';
import type { Clock } from '../core/clock.ts';
import { createCcxtSource, type CcxtSourceOptions } from '../exchange/ccxt-source.ts';
import type { MarketSource } from '../exchange/market-source.ts';
import { startEmulator, type EmulatorHandle } from '../sim/emulator.ts';
import { emulatorOptions } from './sim-options.ts';
import type { SourceContext } from './start-service.ts';

export function startSimEmulator(config: ServiceConfig, clock: Clock | undefined): Promise<EmulatorHandle> {
  return startEmulator(emulatorOptions(config, clock));
}

/**
 * ccxt's bybit: at the emulator in sim mode (loopback only), at the real exchange otherwise. API keys
 * are passed only when both halves are set; public market data needs none.
 */
export function createDefaultSource(ctx: SourceContext): MarketSource {
  const { config, secrets, clock, emulator } = ctx;
  const options: CcxtSourceOptions = {
    timeframes: config.timeframes,
    orderBookDepth: config.limits.orderbookDepth,
    ...(clock ? { clock } : {}),
    ...(secrets.apiKey && secrets.secret ? { credentials: { apiKey: secrets.apiKey, secret: secrets.secret } } : {}),
  };
  if (emulator) return createCcxtSource({ ...options, restBaseUrl: emulator.url, wsUrl: emulator.wsUrl });
  return createCcxtSource({ ...options, allowNonLoopback: true });
}
