import fs from 'node:fs/promises';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { mountsUnder } from './guest-rootfs.ts';
import { MAX_INDEX, STATE_ROOT, vpsLayout } from './vps-layout.ts';
import type { VpsLayout } from './vps-layout.ts';

/** Who owns a VPS: a sweep removes a VPS only when this process is gone. */
export interface VpsOwner {
  pid: number;
  /** /proc/PID/stat start time, so a reused pid is not mistaken for the owner. */
  startTime: string;
  name: string;
  nspawnPid?: number;
  leaderPid?: number;
  /** The checkout that booted it, so `vps-cli down` with no index stops only this checkout's VPSes. */
  checkout?: string;
}

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

/** The atomic mkdir is the claim: two processes (vitest workers) can never boot the same index. */
export async function claimIndex(index: number, name: string | undefined, ownerPid = process.pid): Promise<VpsLayout> {
  const layout = vpsLayout(index, name);
  await fs.mkdir(STATE_ROOT, { recursive: true, mode: 0o700 });
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

export async function claimFreeIndex(name: string | undefined): Promise<VpsLayout> {
  for (let index = 1; index <= MAX_INDEX; index++) {
    try {
      return await claimIndex(index, name);
    } catch (e) {
      if (!/already claimed/.test(String(e))) throw e;
    }
  }
  throw new Error(`vps index: all ${MAX_INDEX} indexes are claimed; run sweepStaleVpses() or vps-cli down`);
}

export async function readOwner(layout: VpsLayout): Promise<VpsOwner | undefined> {
  try {
    return JSON.parse(await fs.readFile(ownerFile(layout), 'utf8')) as VpsOwner;
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
