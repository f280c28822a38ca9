/**
 * Production must never serve the emulator's synthetic prices by accident (issue 10 item 5): `exchange`
 * defaults to `sim` so that `npm start` runs offline, but under systemd (which sets INVOCATION_ID for
 * every unit) the exchange has to be chosen explicitly, by the config file or the environment.
 */

export const IMPLICIT_SIM_FIX =
  'choose it explicitly: --config PATH with `exchange: bybit` (or sim), LEAKPROOF_EXCHANGE=sim, or `deploy setup --exchange bybit|sim`';

export function explicitExchangeUnderSystemd(
  loaded: { config: { exchange: string }; exchangeFrom: string | undefined },
  env: NodeJS.ProcessEnv,
): { ok: true } | { ok: false; reason: string } {
  if (!env.INVOCATION_ID || loaded.exchangeFrom !== undefined) return { ok: true };
  return {
    ok: false,
    reason: `refusing to start: exchange defaults to '${loaded.config.exchange}' (the emulator) under systemd (INVOCATION_ID is set); ${IMPLICIT_SIM_FIX}`,
  };
}
