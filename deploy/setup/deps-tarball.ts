import { createHash } from 'node:crypto';
import { copyFile, mkdir, mkdtemp, readFile, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { $ } from 'zx';

/**
 * Builds the production node_modules once per lockfile (`npm ci --omit=dev`), as a tarball cached in
 * .tmp/deps/, because hosts may not reach a registry.
 */
export async function depsTarball(root: string): Promise<{ ok: true; path: string; lockSha256: string; built: boolean } | { ok: false; reason: string }> {
  const lock = await readFile(join(root, 'package-lock.json')).catch(() => undefined);
  if (!lock) return { ok: false, reason: `setup: ${root}/package-lock.json missing` };
  const lockSha256 = createHash('sha256').update(lock).digest('hex');
  const cacheDir = join(root, '.tmp', 'deps');
  const out = join(cacheDir, `${lockSha256}.tgz`);
  if (await stat(out).then(() => true, () => false)) return { ok: true, path: out, lockSha256, built: false };
  const work = await mkdtemp(join(tmpdir(), 'leakproof-deps-'));
  try {
    await copyFile(join(root, 'package.json'), join(work, 'package.json'));
    await copyFile(join(root, 'package-lock.json'), join(work, 'package-lock.json'));
    await $({ cwd: work, quiet: true })`npm ci --omit=dev --ignore-scripts --prefer-offline --no-audit --no-fund`;
    await mkdir(cacheDir, { recursive: true });
    await $({ cwd: work, quiet: true })`tar czf ${`${out}.tmp`} node_modules`;
    await $({ quiet: true })`mv -f ${`${out}.tmp`} ${out}`;
    return { ok: true, path: out, lockSha256, built: true };
  } catch (err) {
    return { ok: false, reason: `setup: npm ci --omit=dev failed: ${(err as Error).message.split('\n')[0]}` };
  } finally {
    await rm(work, { recursive: true, force: true });
  }
}
