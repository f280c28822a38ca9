import { Command } from 'commander';
import { bootVps } from './boot-vps.ts';
import { claimedIndexes, isOwnerAlive, readOwner } from './vps-claim.ts';
import { requireVpsSupport } from './vps-support.ts';
import { sweepStaleVpses } from './sweep-stale-vpses.ts';
import { teardownVps } from './vps-teardown.ts';
import { vpsLayout } from './vps-layout.ts';

/** For humans: boot a VPS that outlives this command, list them, tear them down. */
const program = new Command('vps-cli').description('throw-away systemd-nspawn test VPSes (root only)');

function fail(message: string): never {
  console.error(`vps-cli: ${message}`);
  process.exit(2);
}

function checkSupport(): void {
  const s = requireVpsSupport();
  if (!s.ok) fail(s.reason);
}

function parseIndex(v: string): number {
  const n = Number(v);
  if (!Number.isInteger(n)) fail(`--index: not an integer: ${v}`);
  return n;
}

program
  .command('up')
  .description('boot a VPS and print how to reach it')
  .option('--index <n>', '1..250, giving 10.200.N.2 (default: first free)', parseIndex)
  .option('--app-dir <dir>', 'app dir owned by deploy', '/srv/leakproof')
  .option('--unit <unit>', 'unit deploy may restart with sudo', 'leakproof.service')
  .option('--json', 'print the handle as JSON')
  .action(async (o: { index?: number; appDir: string; unit: string; json?: boolean }) => {
    checkSupport();
    await sweepStaleVpses();
    const vps = await bootVps({ index: o.index, appDir: o.appDir, unit: o.unit, detached: true }).catch((e: Error) => fail(e.message));
    const info = { name: vps.name, index: vps.index, ip: vps.ip, user: vps.user, identityFile: vps.identityFile, knownHostsFile: vps.knownHostsFile, appDir: vps.appDir, bootMs: vps.bootMs };
    if (o.json) console.log(JSON.stringify(info, null, 2));
    else {
      console.log(`${vps.name} up in ${vps.bootMs} ms at ${vps.ip}`);
      console.log(`  ssh -i ${vps.identityFile} -o UserKnownHostsFile=${vps.knownHostsFile} -o StrictHostKeyChecking=yes ${vps.user}@${vps.ip}`);
      console.log(`  deploy: --host ${vps.user}@${vps.ip} --identity ${vps.identityFile} --known-hosts ${vps.knownHostsFile}`);
    }
  });

program
  .command('down')
  .description('stop VPSes and remove every trace')
  .option('--index <n>', 'only this one', parseIndex)
  .action(async (o: { index?: number }) => {
    checkSupport();
    const indexes = o.index === undefined ? await claimedIndexes() : [o.index];
    let ok = true;
    for (const index of indexes) {
      const owner = await readOwner(vpsLayout(index));
      const r = await teardownVps(vpsLayout(index, owner?.name), owner);
      ok &&= r.ok;
      console.log(`${owner?.name ?? `index ${index}`}: ${r.ok ? `down (${r.stoppedBy}, ${r.durationMs} ms)` : `left ${r.leftovers.join(', ')}`}`);
    }
    process.exitCode = ok ? 0 : 1;
  });

program
  .command('ls')
  .description('list claimed VPSes')
  .action(async () => {
    for (const index of await claimedIndexes()) {
      const owner = await readOwner(vpsLayout(index));
      const layout = vpsLayout(index, owner?.name);
      console.log(`${layout.name}\t${layout.guestIp}\t${owner && isOwnerAlive(owner) ? `owner pid ${owner.pid}` : 'stale'}`);
    }
  });

program
  .command('sweep')
  .description('remove VPSes whose owner died, and orphan netns/veths')
  .action(async () => {
    checkSupport();
    const r = await sweepStaleVpses();
    console.log(`removed: ${r.removed.join(', ') || 'nothing'}; kept: ${r.kept.join(', ') || 'none'}`);
  });

await program.parseAsync();
