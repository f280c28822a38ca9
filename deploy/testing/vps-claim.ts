import fs from 'node:fs/promises';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import lockfile from 'proper-lockfile';
import { z } from 'zod';
import { mountsUnder } from './guest-rootfs.ts';
import { MAX_INDEX, STATE_ROOT, vpsLayout } from './vps-layout.ts';
import type { VpsLayout } from './vps-layout.ts';

/** Who owns a VPS: a sweep removes a VPS only when this process is gone. */
const VpsOwnerSchema = z.object({
  pid: z.number().int(),
  /** /proc/PID/stat start time, so a reused pid is not mistaken for the owner. */
  startTime: z.string(),
  name: z.string(),
  nspawnPid: z.number().int().optional(),
  leaderPid: z.number().int().optional(),
  /** The checkout that booted it, so `vps-cli down` with no index stops only this checkout's VPSes. */
  checkout: z.string().optional(),
});
export type VpsOwner = z.infer<typeof VpsOwnerSchema>;

/** This checkout's root (deploy/testing/../..). */
export const CHECKOUT = path.resolve(import.meta.dirname, '../..');

export function processStartTime(pid: number): string | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // Field 22; the comm field may hold spaces, so count from the closing paren.
    return stat.slice(stat.lastIndexOf(')') + 2).split(' ')[19];
  } catch {
    return undefined;
  }
}

export function isOwnerAlive(owner: VpsOwner): boolean {
  return processStartTime(owner.pid) === owner.startTime;
}

function ownerFile(layout: VpsLayout): string {
  return path.join(layout.stateDir, 'owner.json');
}

/**
 * Claims and sweeps take this host-wide lock. A sweep lists netns and state dirs, then decides; without
 * the lock another worker could release an index and claim it again in between, and the sweep would
 * delete the new boot's network or state dir by its old name.
 */
export async function withClaimsLock<T>(fn: () => Promise<T>): Promise<T> {
  await fs.mkdir(STATE_ROOT, { recursive: true, mode: 0o700 });
  // A sweep may tear down several stale VPSes (seconds each) while holding it: wait up to a minute.
  const release = await lockfile.lock(STATE_ROOT, {
    lockfilePath: path.join(STATE_ROOT, '.claims.lock'),
    stale: 60_000,
    retries: { retries: 600, factor: 1, minTimeout: 100, maxTimeout: 100 },
  });
  try {
    return await fn();
  } finally {
    await release();
  }
}

/** The atomic mkdir is the claim: two processes (vitest workers) can never boot the same index. */
export function claimIndex(index: number, name: string | undefined, ownerPid = process.pid): Promise<VpsLayout> {
  return withClaimsLock(() => claimUnlocked(index, name, ownerPid));
}

async function claimUnlocked(index: number, name: string | undefined, ownerPid: number): Promise<VpsLayout> {
  const layout = vpsLayout(index, name);
  try {
    await fs.mkdir(layout.stateDir, { mode: 0o700 });
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e;
    const owner = await readOwner(layout);
    throw new Error(`vps index ${index}: already claimed${owner ? ` by pid ${owner.pid} (${owner.name})` : ''}`, { cause: e });
  }
  await writeOwner(layout, { pid: ownerPid, startTime: processStartTime(ownerPid) ?? '', name: layout.name });
  return layout;
}

export function claimFreeIndex(name: string | undefined): Promise<VpsLayout> {
  return withClaimsLock(async () => {
    for (let index = 1; index <= MAX_INDEX; index++) {
      try {
        return await claimUnlocked(index, name, process.pid);
      } catch (e) {
        if (!/already claimed/.test(String(e))) throw e;
      }
    }
    throw new Error(`vps index: all ${MAX_INDEX} indexes are claimed; run sweepStaleVpses() or vps-cli down`);
  });
}

export async function readOwner(layout: VpsLayout): Promise<VpsOwner | undefined> {
  try {
    return VpsOwnerSchema.parse(JSON.parse(await fs.readFile(ownerFile(layout), 'utf8')));
  } catch {
    return undefined;
  }
}

export async function writeOwner(layout: VpsLayout, owner: VpsOwner): Promise<void> {
  const tmp = `${ownerFile(layout)}.tmp`;
  await fs.writeFile(tmp, JSON.stringify({ checkout: CHECKOUT, ...owner }), { mode: 0o600 });
  await fs.rename(tmp, ownerFile(layout));
}

/** Refuses while anything is mounted below: an rm -rf through the overlay of `/` would delete host files. */
export async function releaseClaim(layout: VpsLayout): Promise<void> {
  const mounted = await mountsUnder(layout.stateDir);
  if (mounted.length > 0) throw new Error(`vps state dir ${layout.stateDir}: still mounted (${mounted.join(', ')}), not removing`);
  await fs.rm(layout.stateDir, { recursive: true, force: true });
}

/** Indexes with a state dir, whatever their owner's state. */
export async function claimedIndexes(): Promise<number[]> {
  const entries = await fs.readdir(STATE_ROOT).catch(() => [] as string[]);
  return entries
    .map((e) => /^vps-(\d+)$/.exec(e)?.[1])
    .filter((s): s is string => s !== undefined)
    .map(Number)
    .sort((a, b) => a - b);
}
