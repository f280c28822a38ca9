import { mkdtemp, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { writeHeapSnapshot } from 'node:v8';
import type { WhatGrew } from '../../reports/schemas/qa-result.ts';
import { whatGrew, type HeapLoader } from './what-grew.ts';

export interface SnapshotPairOptions {
  /** The work whose growth is explained: it runs between the two snapshots. */
  grow: () => Promise<void>;
  top?: number;
  tmp?: string;
  load?: HeapLoader;
  /** Default: the real global gc (--expose-gc); a snapshot of uncollected garbage says nothing. */
  gc?: () => void;
}

const MB = 1024 * 1024;

/**
 * In the process that grows: a heap snapshot, `grow()`, a second snapshot, then memlab's reading of
 * what grew in between. The files are removed whatever happens. Never throws.
 */
export async function snapshotPair(o: SnapshotPairOptions): Promise<WhatGrew> {
  const gc = o.gc ?? globalThis.gc;
  let dir: string | undefined;
  try {
    const snapshotDir = await mkdtemp(join(o.tmp ?? tmpdir(), 'leakproof-heap-'));
    dir = snapshotDir;
    const shot = async (name: string) => {
      gc?.();
      const t0 = performance.now();
      const file = writeHeapSnapshot(join(snapshotDir, `${name}.heapsnapshot`));
      return { file, ms: performance.now() - t0, mb: (await stat(file)).size / MB };
    };
    const before = await shot('before');
    await o.grow();
    const after = await shot('after');
    const read = await whatGrew({ before: before.file, after: after.file, ...(o.top ? { top: o.top } : {}), ...(o.load ? { load: o.load } : {}) });
    return read.ok ? { ...read, snapshotMs: Math.round(before.ms + after.ms), snapshotMb: Math.round(after.mb) } : read;
  } catch (error) {
    return { ok: false, reason: `heap snapshots failed: ${(error as Error).message}` };
  } finally {
    if (dir) await rm(dir, { recursive: true, force: true });
  }
}
