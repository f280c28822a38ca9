import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import * as esbuild from 'esbuild';
import { ccxtOneExchange, stubPackages } from './bundle-plugins.ts';

export const BUNDLE_ENTRY = 'app/main.ts';
export const BUNDLE_NAME = 'leakproof.mjs';
export const DEFAULT_OUT_DIR = 'dist';
/**
 * Besides the inputs esbuild reports, these decide the bundle's bytes: the build definition (options,
 * the ccxt shim, the stubs) and the manifests that pin esbuild and every bundled package.
 */
export const BUILD_DEFINITION_FILES = ['app/build/build-bundle.ts', 'app/build/bundle-plugins.ts', 'package.json', 'package-lock.json'];

export interface BundleBuild {
  ok: true;
  /** Absolute paths of the bundle, its source map and its esbuild metafile. */
  bundle: string;
  map: string;
  metafile: string;
  /** Root-relative real files esbuild read (the shim and stubs are generated, so they are not here). */
  inputs: string[];
  /** The exact file set that decides the bundle's bytes: `inputs` plus BUILD_DEFINITION_FILES, sorted. */
  files: string[];
}

export interface BuildBundleOptions {
  root: string;
  /** Root-relative or absolute; `dist` by default. */
  outDir?: string;
  /** false: build in memory for the metafile only (what checks/ hashes), writing nothing. */
  write?: boolean;
  /**
   * Another root-relative entry, bundled the same way into `<its base name>.mjs`: QA's soak child
   * drives the app sources under the very build definition that ships (checks/soak/soak-bundle.ts).
   */
  entry?: string;
}

/** Bundled CommonJS dependencies (ws, yaml, pino) call `require` for node builtins; ESM output has none. */
const REQUIRE_BANNER = "import { createRequire as __leakproofRequire } from 'node:module';\nconst require = __leakproofRequire(import.meta.url);";

export function bundleOptions(root: string, outfile: string, entry = BUNDLE_ENTRY): esbuild.BuildOptions & { metafile: true } {
  return {
    absWorkingDir: root,
    entryPoints: [entry],
    outfile,
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node20',
    // Keep node_modules/… paths when node_modules is a symlink (a checkout sharing another's), so hashes name files by their place in the tree.
    preserveSymlinks: true,
    sourcemap: 'linked',
    sourcesContent: false,
    metafile: true,
    banner: { js: REQUIRE_BANNER },
    plugins: [ccxtOneExchange(root), stubPackages()],
    logLevel: 'silent',
  };
}

/** Real files only: generated modules sit in a plugin namespace (`ccxt-shim:…`, `stub:…`). */
export const realInputs = (meta: Pick<esbuild.Metafile, 'inputs'> | { inputs: Record<string, unknown> }) => Object.keys(meta.inputs).filter((k) => !/^[a-z-]+:/.test(k)).sort();

/** The exact file set that decides a bundle's bytes, from its metafile (deploy reads the one a build wrote). */
export const bundleSourceFiles = (meta: Parameters<typeof realInputs>[0]) => [...new Set([...realInputs(meta), ...BUILD_DEFINITION_FILES])].sort();

/** The metafile a build writes beside its bundle. */
export const metafileOf = (bundle: string) => bundle.replace(/\.mjs$/, '.meta.json');

/** One ESM file with only the exchange the config can name; needs neither tsx nor node_modules to run. */
export async function buildBundle(o: BuildBundleOptions): Promise<BundleBuild | { ok: false; reason: string }> {
  const outDir = path.resolve(o.root, o.outDir ?? DEFAULT_OUT_DIR);
  const bundle = path.join(outDir, o.entry === undefined ? BUNDLE_NAME : `${path.basename(o.entry, path.extname(o.entry))}.mjs`);
  const metafile = metafileOf(bundle);
  let result: esbuild.BuildResult<{ metafile: true }>;
  try {
    result = await esbuild.build({ ...bundleOptions(o.root, bundle, o.entry), write: o.write !== false });
  } catch (err) {
    const failure = err as { errors?: esbuild.Message[] };
    const first = failure.errors?.[0];
    const where = first?.location ? `${first.location.file}:${first.location.line}: ` : '';
    return { ok: false, reason: `build: ${where}${first?.text ?? (err instanceof Error ? err.message : String(err))}` };
  }
  if (o.write !== false) {
    await mkdir(outDir, { recursive: true });
    await writeFile(metafile, JSON.stringify(result.metafile));
  }
  return { ok: true, bundle, map: `${bundle}.map`, metafile, inputs: realInputs(result.metafile), files: bundleSourceFiles(result.metafile) };
}
