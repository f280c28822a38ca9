import fs from 'node:fs/promises';
import path from 'node:path';
import { mustRun, runCommand } from './run-command.ts';
import type { VpsLayout } from './vps-layout.ts';

/**
 * The guest root is an overlay of the host's `/` (same node, same packages) with its writes on a tmpfs, so
 * a VPS costs no disk and vanishes on unmount. Submounts of the host (/proc, /sys, /dev, /run/netns...)
 * are not part of the lower layer, and nspawn mounts its own.
 */
export async function mountGuestRoot(l: VpsLayout, sizeMb: number): Promise<void> {
  await fs.mkdir(l.diskDir, { recursive: true, mode: 0o700 });
  await mustRun(['mount', '-t', 'tmpfs', '-o', `size=${sizeMb}m,mode=0755`, `lp-disk-${l.name}`, l.diskDir]);
  for (const d of ['upper', 'work', 'root']) await fs.mkdir(path.join(l.diskDir, d), { mode: 0o755 });
  const opts = `lowerdir=/,upperdir=${path.join(l.diskDir, 'upper')},workdir=${path.join(l.diskDir, 'work')}`;
  await mustRun(['mount', '-t', 'overlay', `lp-root-${l.name}`, '-o', opts, l.rootDir]);
}

/** Mount points under a dir, deepest first, from the kernel's own table. */
export async function mountsUnder(dir: string): Promise<string[]> {
  const table = await fs.readFile('/proc/self/mountinfo', 'utf8');
  const points = table
    .split('\n')
    .map((line) => line.split(' ')[4])
    .filter((p): p is string => p !== undefined && (p === dir || p.startsWith(`${dir}/`)))
    .map((p) => p.replace(/\\(\d{3})/g, (_, o: string) => String.fromCharCode(parseInt(o, 8))));
  return [...new Set(points)].sort((a, b) => b.length - a.length);
}

/** Unmounts everything under the dir; lazy as a fallback, since a dying guest can hold it a moment. */
export async function unmountAllUnder(dir: string): Promise<string[]> {
  const failed: string[] = [];
  for (const p of await mountsUnder(dir)) {
    const r = await runCommand(['umount', p], { timeoutMs: 10_000 });
    if (r.code !== 0) {
      const lazy = await runCommand(['umount', '-l', p], { timeoutMs: 10_000 });
      if (lazy.code !== 0) failed.push(p);
    }
  }
  return failed;
}
