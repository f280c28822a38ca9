import { buildBundle } from '../app/build/build-bundle.ts';

/**
 * The exact runtime file set of what ships: every real file esbuild read for the bundle (its metafile
 * inputs, ccxt's bybit sources included) plus the build definition. The QA verdict's `sources.sha256`
 * hashes this set and deploy re-hashes it from its own build, so the gate and the shipped bytes cannot
 * drift. Builds in memory; throws when the bundle does not build (that set cannot ship).
 */
export async function bundleFileSet(root: string): Promise<string[]> {
  const built = await buildBundle({ root, write: false });
  if (!built.ok) throw new Error(`runtime file set: ${built.reason}`);
  return built.files;
}
