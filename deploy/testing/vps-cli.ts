import { spawnSync } from 'node:child_process';
import { Command } from 'commander';
import { bootVps } from './boot-vps.ts';
import { CHECKOUT, claimedIndexes, isOwnerAlive, readOwner } from './vps-claim.ts';
import { requireVpsSupport } from './vps-support.ts';
import { renderSudoers, sudoCommands } from './sudoers-rules.ts';
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
  .option('--setup-sudo', 'also let the user run `sudo /bin/sh` until `tighten`, as an admin would for `deploy setup`')
  .option('--json', 'print the handle as JSON')
  .action(async (o: { index?: number; appDir: string; unit: string; setupSudo?: boolean; json?: boolean }) => {
    checkSupport();
    await sweepStaleVpses();
    const exact = sudoCommands({ unit: o.unit });
    const vps = await bootVps({ index: o.index, appDir: o.appDir, unit: o.unit, detached: true, sudoCommands: o.setupSudo ? [...exact, '/bin/sh'] : exact }).catch((e: unknown) => fail(e instanceof Error ? e.message : String(e)));
    const info = { name: vps.name, index: vps.index, ip: vps.ip, user: vps.user, identityFile: vps.identityFile, knownHostsFile: vps.knownHostsFile, appDir: vps.appDir, bootMs: vps.bootMs };
    if (o.json) console.log(JSON.stringify(info, null, 2));
    else {
      console.log(`${vps.name} up in ${vps.bootMs} ms at ${vps.ip}`);
      console.log(`  ssh -i ${vps.identityFile} -o UserKnownHostsFile=${vps.knownHostsFile} -o StrictHostKeyChecking=yes ${vps.user}@${vps.ip}`);
      console.log(`  deploy: --host ${vps.user}@${vps.ip} --identity ${vps.identityFile} --known-hosts ${vps.knownHostsFile}`);
    }
  });

program
  .command('tighten')
  .description('drop the setup-only `sudo /bin/sh` right, leaving exactly the deploy sudoers lines')
  .requiredOption('--index <n>', 'the VPS', parseIndex)
  .option('--user <user>', 'the deploy user', 'deploy')
  .option('--unit <unit>', 'unit deploy may restart with sudo', 'leakproof.service')
  .action(async (o: { index: number; user: string; unit: string }) => {
    checkSupport();
    const owner = await readOwner(vpsLayout(o.index));
    if (!owner?.leaderPid) fail(`no running VPS at index ${o.index}`);
    const lines = renderSudoers(o.user, sudoCommands({ unit: o.unit }));
    const r = spawnSync('nsenter', ['-t', String(owner.leaderPid), '-a', 'sh', '-c', 'printf %s "$1" > /etc/sudoers.d/leakproof-vps', 'sh', lines]);
    if (r.status !== 0) fail(`tighten: ${r.stderr.toString().trim() || `exit ${r.status}`}`);
    console.log(`${owner.name}: sudo is now exactly:\n${lines}`);
  });

program
  .command('down')
  .description('stop the VPSes this checkout booted (or --index N) and remove every trace')
  .option('--index <n>', 'only this one, whoever booted it', parseIndex)
  .action(async (o: { index?: number }) => {
    checkSupport();
    const mine = async (index: number) => (await readOwner(vpsLayout(index)))?.checkout === CHECKOUT;
    const claimed = await claimedIndexes();
    const indexes = o.index === undefined ? (await Promise.all(claimed.map(async (i) => ((await mine(i)) ? [i] : [])))).flat() : [o.index];
    if (indexes.length === 0) console.log(`no VPS booted from ${CHECKOUT} (others: use --index N)`);
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
      console.log(`${layout.name}\t${layout.guestIp}\t${owner && isOwnerAlive(owner) ? `owner pid ${owner.pid}` : 'stale'}\t${owner?.checkout ?? 'checkout unknown'}`);
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
