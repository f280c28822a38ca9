import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { z } from 'zod';
import type { Vps } from '../testing/vps-handle.ts';
import { bootForDeploy, hostArgs, makeBuild, setupOrThrow, tightenSudo, writeEnvFile } from './e2e-support.ts';

/** The parts of the deploy's JSON evidence this test reads. */
export const Evidence = z.object({
  hosts: z.array(
    z.object({
      finalState: z.string(),
      steps: z.array(z.object({ name: z.string(), ok: z.boolean(), durationMs: z.number(), detail: z.string() })),
      memory: z
        .object({
          source: z.string(),
          units: z.object({ samples: z.number(), msgPerSecond: z.number(), floors: z.array(z.string()), units: z.array(z.object({ unit: z.string(), floor: z.number() })) }).nullable().optional(),
          heap: z
            .object({
              snapshots: z.array(z.object({ bytes: z.number(), mode: z.string(), ms: z.number(), rssBeforeMb: z.number(), peakRssMb: z.number(), peakRaised: z.boolean() })),
              messagesBetween: z.number().nullable(),
              whatGrew: z.discriminatedUnion('ok', [
                z.object({ ok: z.literal(true), rows: z.array(z.object({ kind: z.string(), retainerPath: z.string(), bytesBefore: z.number(), bytesAfter: z.number() })) }),
                z.object({ ok: z.literal(false), reason: z.string() }),
              ]),
            })
            .nullable()
            .optional(),
        })
        .nullable(),
    }),
  ),
});
export const hostOf = (stdout: string) => {
  const host = Evidence.parse(JSON.parse(stdout)).hosts[0];
  if (!host) throw new Error('no host in the evidence');
  return host;
};

/** The QA fixture's per-message leak: a dedupe set of trade ids that is never pruned. */
export const SET_LEAK = {
  file: 'app/manager/market-data-manager.ts',
  from: '  storeTrades(symbol: string, rows: readonly TradePrint[]): number {\n',
  to: '  storeTrades(symbol: string, rows: readonly TradePrint[]): number {\n    for (const r of rows) seenTradeIds.add(`${symbol}:${r.id ?? ""}:${r.timestamp}:${r.price}`);\n',
};
/** The set itself, at module level, where no fix spec looks. */
export const declareSet = async (root: string) => {
  const file = join(root, SET_LEAK.file);
  await writeFile(file, (await readFile(file, 'utf8')).replace('export class MarketDataManager', 'const seenTradeIds = new Set<string>();\n\nexport class MarketDataManager'));
};

/**
 * A VPS set up with a release whose in-process emulator offers 2,500 WS msg/s, the deploy login's sudo
 * scoped to the exact commands; the watch shortens the 600 s cleanup interval itself.
 */
export async function bootWatchHost(): Promise<Vps> {
  const vps = await bootForDeploy();
  const build = await makeBuild('units-base');
  const env = await writeEnvFile(build, { LEAKPROOF_HTTP_PORT: '0', LEAKPROOF_SIM_MSG_RATE: '2500' });
  await setupOrThrow([vps], [...hostArgs(vps), '--root', build, '--skip-qa', '--grace', '1s', '--env-file', env, '--exchange', 'sim'], 240_000);
  await tightenSudo(vps);
  return vps;
}

/** The deploy's arguments for a watched deploy of `root` to `vps`, with JSON evidence. */
export const watchArgs = (vps: Vps, root: string, watch: string[]) => ['--skip-qa', ...hostArgs(vps), '--root', root, '--grace', '1s', '--proof-timeout', '30s', '--json', ...watch];
