import { stat } from 'node:fs/promises';
import { claimedIndexes, isOwnerAlive, readOwner, withClaimsLock } from './vps-claim.ts';
import { runCommand } from './run-command.ts';
import { teardownVps } from './vps-teardown.ts';
import { HOST_VETH_PREFIX, VPS_NAME_PREFIX, vpsLayout } from './vps-layout.ts';

export interface SweepResult {
  removed: string[];
  kept: string[];
}

/** A claim with no readable owner.json (a claimer that died mid-claim, or one of an older checkout) is left this long. */
const UNOWNED_GRACE_MS = 30_000;

/**
 * Removes what a crashed earlier run left behind: VPSes whose owner process is gone, and netns/veths
 * with the harness's prefixes that no live VPS owns. A VPS of a live process (another vitest worker,
 * or one the CLI started) is never touched.
 */
export function sweepStaleVpses(): Promise<SweepResult> {
  return withClaimsLock(sweepUnlocked);
}

async function sweepUnlocked(): Promise<SweepResult> {
  const removed: string[] = [];
  const kept: string[] = [];
  for (const index of await claimedIndexes()) {
    const base = vpsLayout(index);
    const owner = await readOwner(base);
    const layout = vpsLayout(index, owner?.name);
    const age = Date.now() - ((await stat(layout.stateDir).catch(() => undefined))?.mtimeMs ?? 0);
    if ((owner && isOwnerAlive(owner)) || (!owner && age < UNOWNED_GRACE_MS)) {
      kept.push(layout.name);
      continue;
    }
    const r = await teardownVps(layout, owner, { gracefulMs: 1_000 });
    removed.push(r.ok ? layout.name : `${layout.name} (left: ${r.leftovers.join(', ')})`);
  }
  const netns = await runCommand(['ip', 'netns', 'list'], { timeoutMs: 5_000 });
  const links = await runCommand(['ip', '-o', 'link', 'show'], { timeoutMs: 5_000 });
  // Claims are read after the listing, and none can be made while the lock is held: a boot in another
  // worker claims its index before it makes its netns and veth, so whatever it made is protected here.
  const liveNames = new Set<string>();
  const liveVeths = new Set<string>();
  for (const index of await claimedIndexes()) {
    const layout = vpsLayout(index, (await readOwner(vpsLayout(index)))?.name);
    liveNames.add(layout.name);
    liveVeths.add(layout.hostVeth);
  }
  for (const name of netns.stdout.split('\n').map((l) => l.split(' ')[0] ?? '')) {
    if (!name.startsWith(VPS_NAME_PREFIX) || liveNames.has(name)) continue;
    await runCommand(['ip', 'netns', 'del', name], { timeoutMs: 5_000 });
    removed.push(`netns ${name}`);
  }
  const vethRe = new RegExp(`^\\d+: (${HOST_VETH_PREFIX}\\d+)[@:]`);
  for (const line of links.stdout.split('\n')) {
    const veth = vethRe.exec(line)?.[1];
    if (veth === undefined || liveVeths.has(veth)) continue;
    await runCommand(['ip', 'link', 'del', veth], { timeoutMs: 5_000 });
    removed.push(`veth ${veth}`);
  }
  return { removed, kept };
}
