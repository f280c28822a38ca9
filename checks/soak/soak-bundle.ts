import { buildBundle } from '../../app/build/build-bundle.ts';

/** The soak child's entry: the real service, its soak clock and driver (see soak-entry.ts). */
export const SOAK_ENTRY = 'checks/soak/soak-entry.ts';

/**
 * The soak runs what ships: the app sources bundled by the same esbuild definition as dist/leakproof.mjs
 * (one ccxt exchange, no tsx), with the soak's driver as the entry. The runner gives each run its own
 * out dir, so that a concurrent `npm run build` and QA never share a file.
 */
export async function buildSoakBundle(root: string, outDir: string): Promise<{ ok: true; script: string } | { ok: false; reason: string }> {
  const built = await buildBundle({ root, outDir, entry: SOAK_ENTRY });
  return built.ok ? { ok: true, script: built.bundle } : { ok: false, reason: `soak bundle: ${built.reason}` };
}
