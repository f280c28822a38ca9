import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { z } from 'zod';
import { timeframeMs } from '../../app/caches/timeframe.ts';
import { configSchema } from '../../app/config/config-schema.ts';
import { KLINE_INTERVAL_MS } from '../../app/sim/bybit-intervals.ts';
import { pushGapMs } from '../../app/sim/push-cadence.ts';
import { SimMarket } from '../../app/sim/sim-market.ts';
import { parseTopic } from '../../app/sim/ws-topics.ts';
import { UNIT_MEMORY_DEFAULTS } from '../../reports/units/unit-memory.ts';

/**
 * The traffic a deployed service sees, which the soak's slopes are projected to. Defaults: the service's
 * own defaults (its topN and timeframes) on Bybit's linear perps, a few symbols entering and leaving the
 * top N a day, and a restart (a deploy) once a week.
 */
export const ProfileConfig = z
  .object({
    symbols: z.number().int().min(1).default(configSchema.parse({}).topN),
    timeframes: z.array(z.string()).min(1).default(configSchema.parse({}).timeframes),
    /** Unset: what Bybit's push cadences (the emulator's model, app/sim/push-cadence.ts) give for those symbols. */
    msgPerSecond: z.number().min(0).optional(),
    listingTurnsPerDay: z.number().min(0).default(5),
    daysBetweenRestarts: z.number().min(0).default(7),
    /** Unset: read from the unit template and the value deploy renders into it. */
    memoryHighMb: z.number().positive().optional(),
  })
  .strict();
export type ProfileConfig = z.infer<typeof ProfileConfig>;

const SAMPLED_PUSHES = 2_000;

/**
 * WS messages per second of a top-`symbols` service by the emulator's model of Bybit's cadences: per
 * symbol a kline per timeframe, tickers, trades, the 50-level book and all-liquidations, each at its
 * mean gap (trades come in bursts, so their gap is averaged over many pushes).
 */
export function msgPerSecondFor(symbols: number, timeframes: readonly string[]): number {
  const market = new SimMarket({ seed: 7, symbols: Math.max(symbols, 2), epochMs: 0 });
  const top = [...market.all].sort((a, b) => b.turnover - a.turnover).slice(0, symbols);
  const intervals = timeframes.flatMap((tf) => Object.entries(KLINE_INTERVAL_MS).filter(([, ms]) => ms === timeframeMs(tf)).map(([code]) => code));
  let perSecond = 0;
  for (const s of top) {
    const names = [...intervals.map((i) => `kline.${i}.${s.id}`), `tickers.${s.id}`, `publicTrade.${s.id}`, `orderbook.50.${s.id}`, `allLiquidation.${s.id}`];
    for (const name of names) {
      const topic = parseTopic(market, name);
      if (!topic) continue;
      let total = 0;
      for (let n = 0; n < SAMPLED_PUSHES; n++) total += pushGapMs({ topic, n, now: 0, toRealMs: (ms) => ms });
      perSecond += 1000 / (total / SAMPLED_PUSHES);
    }
  }
  return perSecond;
}

const SIZE = /^\s*(\d+(?:\.\d+)?)\s*([KMGT]?)\s*$/i;
const POWER: Record<string, number> = { '': 0, K: 1, M: 2, G: 3, T: 4 };

/** A systemd memory size (`448M`, `2G`, bytes) in MB; undefined for what is no size (`infinity`, a percentage). */
export function systemdSizeMb(text: string): number | undefined {
  const m = SIZE.exec(text);
  if (!m) return undefined;
  return (Number(m[1]) * 1024 ** (POWER[(m[2] ?? '').toUpperCase()] ?? 0)) / 1024 ** 2;
}

export const UNIT_TEMPLATE = 'deploy/host/app.service.template';

/**
 * The unit's MemoryHigh: the template's literal, or the deploy default its placeholder is rendered from.
 * A failure value when neither is a size.
 */
export async function readMemoryHigh(root: string, read = (p: string) => readFile(p, 'utf8')): Promise<{ ok: true; mb: number; source: string } | { ok: false; reason: string }> {
  const text = await read(join(root, UNIT_TEMPLATE)).catch((error: unknown) => `${(error as Error).message}`);
  const line = /^MemoryHigh=(.*)$/m.exec(text)?.[1]?.trim();
  if (line === undefined) return { ok: false, reason: `${UNIT_TEMPLATE} has no MemoryHigh= line` };
  const placeholder = /^\{\{(\w+)\}\}$/.exec(line)?.[1];
  const defaults: Readonly<Record<string, string>> = UNIT_MEMORY_DEFAULTS;
  const value = placeholder === undefined ? line : defaults[placeholder];
  const mb = typeof value === 'string' ? systemdSizeMb(value) : undefined;
  if (mb === undefined) return { ok: false, reason: `MemoryHigh in ${UNIT_TEMPLATE} is ${line}${placeholder ? ` = ${String(value)}` : ''}, not a size` };
  return { ok: true, mb, source: placeholder ? `${UNIT_TEMPLATE} MemoryHigh={{${placeholder}}}, deploy default ${String(value)}` : `${UNIT_TEMPLATE} MemoryHigh=${line}` };
}
