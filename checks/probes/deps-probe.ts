import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { diskReader, importClosure } from '../runtime-files.ts';
import { lastLines, runChild } from './child-lines.ts';
import type { AppUnderProbe } from './load-app.ts';
import type { ProbeBody } from './probe-types.ts';

export const DEPS_PROBE_TIMEOUT_MS = 10_000;

interface Manifest {
  dependencies?: Record<string, string>;
  scripts?: Record<string, string>;
}

/** Packages the service command preloads (`node --import tsx app/main.ts`): needed although no file imports them. */
const preloads = (pkg: Manifest) => [...(pkg.scripts?.start ?? '').matchAll(/--(?:import|require|loader)[= ](\S+)/g)].flatMap((m) => (m[1] ? [m[1]] : []));

/**
 * A production install, made cheaply: a temp tree whose only node_modules holds the packages in
 * package.json `dependencies` (symlinks to the real install, where their own dependencies sit as npm placed
 * them). A child node resolves, from app/ in that tree, every bare runtime import of the runtime file set and
 * every preload of the start command, exactly as the service would. A devDependency, or a package listed
 * nowhere, cannot resolve there.
 */
export const runtimeImportsResolveFromDependencies =
  (app: AppUnderProbe): ProbeBody =>
  async () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'leakproof-prod-deps-'));
    try {
      const pkg = JSON.parse(readFileSync(path.join(app.root, 'package.json'), 'utf8')) as Manifest;
      const deps = Object.keys(pkg.dependencies ?? {});
      const notInstalled = deps.filter((d) => !existsSync(path.join(app.root, 'node_modules', d)));
      for (const d of deps.filter((x) => !notInstalled.includes(x))) {
        mkdirSync(path.dirname(path.join(dir, 'node_modules', d)), { recursive: true });
        symlinkSync(path.join(app.root, 'node_modules', d), path.join(dir, 'node_modules', d), 'dir');
      }
      const imports = importClosure(app.entry, diskReader(app.root)).externals.filter((e) => !e.typeOnly);
      const wanted = [...new Set([...imports.map((e) => e.specifier), ...preloads(pkg)])].sort();
      mkdirSync(path.join(dir, 'app'));
      const resolver = path.join(dir, 'app', 'resolve-imports.mjs');
      writeFileSync(
        resolver,
        `const bad = [];\nfor (const s of ${JSON.stringify(wanted)}) { try { import.meta.resolve(s); } catch (e) { bad.push(s + ': ' + e.message.split('\\n')[0]); } }\n` +
          `if (bad.length) { process.stderr.write(bad.join('\\n') + '\\n'); process.exit(1); }\n`,
      );
      const run = await runChild([resolver], { cwd: dir, env: { ...process.env, NODE_PATH: '' }, timeoutMs: DEPS_PROBE_TIMEOUT_MS - 2000 });
      const resolved = run.code === 0 && !run.timedOut;
      const ok = resolved && notInstalled.length === 0 && wanted.length > 0;
      const importedBy = Object.fromEntries(wanted.map((s) => [s, imports.find((e) => e.specifier === s)?.file ?? 'package.json scripts.start']));
      const problems = [
        notInstalled.length ? `listed but not installed: ${notInstalled.join(', ')}` : '',
        wanted.length ? '' : 'no runtime imports found',
        resolved ? '' : `not resolvable with only dependencies installed: ${run.timedOut ? 'timed out' : lastLines(run.stderr, 5)}`,
      ].filter(Boolean);
      return {
        ok,
        reason: ok ? `${wanted.length} runtime imports (${wanted.join(', ')}) resolve with only dependencies installed` : problems.join('; '),
        evidence: { dependencies: deps, importedBy, exit: { code: run.code, signal: run.signal } },
      };
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  };
