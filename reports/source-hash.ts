import { createHash } from 'node:crypto';
import type { FileHash } from './schemas/common.ts';

export interface SourceHash {
  sha256: string;
  files: FileHash[];
}

function sha256Of(data: string | Uint8Array): string {
  return createHash('sha256').update(data).digest('hex');
}

/**
 * Combines per-file hashes into the one hash a QA report and a deploy compare: sha256 of the list
 * `path\0sha256(content)\n`, sorted by path. Deploy can feed it `sha256sum` output from a host
 * without reading the files back.
 */
export function combineFileHashes(files: readonly FileHash[]): SourceHash {
  const sorted = [...files]
    .map((f) => ({ path: f.path.replaceAll('\\', '/'), sha256: f.sha256 }))
    .sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
  const duplicate = sorted.find((f, i) => i > 0 && f.path === sorted[i - 1]?.path);
  if (duplicate) throw new Error(`duplicate path in file set: ${duplicate.path}`);
  const list = sorted.map((f) => `${f.path}\0${f.sha256}\n`).join('');
  return { sha256: sha256Of(list), files: sorted };
}

/** Hashes a file set given as repository-relative paths; `readFile` is injected (local fs, a tarball, ...). */
export async function sourceHash(
  paths: readonly string[],
  readFile: (path: string) => string | Uint8Array | Promise<string | Uint8Array>,
): Promise<SourceHash> {
  const files = await Promise.all(paths.map(async (path) => ({ path, sha256: sha256Of(await readFile(path)) })));
  return combineFileHashes(files);
}
