import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { claimFreeIndex, claimIndex, processStartTime, writeOwner } from './vps-claim.ts';
import { createGuestNetwork } from './guest-network.ts';
import { mountGuestRoot } from './guest-rootfs.ts';
import { provisionGuest } from './guest-provision.ts';
import { findLeader, isAlive, startNspawn } from './nspawn-process.ts';
import { DEFAULT_UNIT, assertUnitName, revertTimerFor, sudoCommands } from './sudoers-rules.ts';
import { teardownVps } from './vps-teardown.ts';
import { waitForLogin, waitForSystem, waitForTcp } from './guest-wait.ts';
import { makeVpsHandle } from './vps-handle.ts';
import type { Vps } from './vps-handle.ts';
import type { VpsLayout } from './vps-layout.ts';

export interface BootVpsOptions {
  /** 1..250, giving 10.200.N.2. Default: the first free index (safe across parallel vitest workers). */
  index?: number;
  /** Machine, netns and host name. Must start with `lp-vps`. Default `lp-vps<index>`. */
  name?: string;
  /** The ssh login user, unlocked for key login and in systemd-journal. Default `deploy`. */
  user?: string;
  /** Created and owned by the user. Any absolute path: spaces, quotes and `$(...)` are fine. */
  appDir?: string;
  /** The app's unit deploy may restart. Default `leakproof.service`. */
  unit?: string;
  /** Also let root log in with the same client key, for `deploy setup` tests that install root-owned files. */
  rootLogin?: boolean;
  /** Exact sudoers commands for the user. Default: sudoCommands({ unit }), deploy's own list. */
  sudoCommands?: string[];
  /** Size of the tmpfs that holds every write the guest makes. */
  diskMb?: number;
  /** More units to mask in the guest, besides the host's enabled ones (ssh stays). */
  maskUnits?: string[];
  bootTimeoutMs?: number;
  /** For the CLI: the VPS is owned by its own nspawn, so a sweep leaves it running after this process exits. */
  detached?: boolean;
}

export async function bootVps(options: BootVpsOptions = {}): Promise<Vps> {
  const unit = options.unit ?? DEFAULT_UNIT;
  const revertTimer = revertTimerFor(unit);
  assertUnitName('unit', unit);
  assertUnitName('revertTimer', revertTimer);
  const started = Date.now();
  const layout = options.index === undefined ? await claimFreeIndex(options.name) : await claimIndex(options.index, options.name);
  let nspawnPid: number | undefined;
  let leaderPid: number | undefined;
  try {
    await mountGuestRoot(layout, options.diskMb ?? 1024);
    const user = options.user ?? 'deploy';
    const appDir = options.appDir ?? '/srv/leakproof';
    const prov = await provisionGuest(layout, {
      user,
      appDir,
      sudoCommands: options.sudoCommands ?? sudoCommands({ unit }),
      extraMaskedUnits: options.maskUnits ?? [],
      rootLogin: options.rootLogin ?? false,
    });
    await createGuestNetwork(layout);
    nspawnPid = startNspawn(layout);
    const ownerPid = options.detached ? nspawnPid : process.pid;
    await writeOwner(layout, { pid: ownerPid, startTime: processStartTime(ownerPid) ?? '', name: layout.name, nspawnPid });
    leaderPid = await waitForLeader(layout, nspawnPid, 10_000);
    await writeOwner(layout, { pid: ownerPid, startTime: processStartTime(ownerPid) ?? '', name: layout.name, nspawnPid, leaderPid });
    const deadline = started + (options.bootTimeoutMs ?? 30_000);
    const system = await waitForSystem(leaderPid, deadline);
    if (!system.ok) throw new Error(`guest ${layout.name}: systemd did not reach running: ${system.reason}`);
    await waitForTcp(layout.guestIp, 22, deadline);
    const vps = makeVpsHandle({ layout, prov, user, appDir, unit, revertTimer, nspawnPid, leaderPid, bootMs: Date.now() - started, failedUnits: system.failedUnits });
    await waitForLogin(vps, deadline);
    return vps;
  } catch (e) {
    const tail = await consoleTail(layout);
    await teardownVps(layout, { pid: process.pid, startTime: '', name: layout.name, nspawnPid, leaderPid }, { gracefulMs: 1_000 });
    throw new Error(`bootVps ${layout.name}: ${(e as Error).message}${tail ? `\n--- guest console (last lines) ---\n${tail}` : ''}`, { cause: e });
  }
}

async function waitForLeader(l: VpsLayout, nspawnPid: number, ms: number): Promise<number> {
  const rounds = Math.ceil(ms / 20);
  for (let i = 0; i < rounds; i++) {
    const leader = findLeader(nspawnPid);
    if (leader !== undefined) return leader;
    if (!isAlive(nspawnPid)) throw new Error(`systemd-nspawn exited before the guest started (see ${path.join(l.stateDir, 'console.log')})`);
    await new Promise((r) => setTimeout(r, 20));
  }
  throw new Error(`guest PID 1 not found under nspawn pid ${nspawnPid} within ${ms} ms`);
}

async function consoleTail(l: VpsLayout): Promise<string> {
  const text = await readFile(path.join(l.stateDir, 'console.log'), 'utf8').catch(() => '');
  return text.trim().split('\n').slice(-15).join('\n');
}
