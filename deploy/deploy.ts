#!/usr/bin/env -S node --import tsx
import { Command } from 'commander';
import { readFile } from 'node:fs/promises';
import { createHash } from 'node:crypto';
import { resolve } from 'node:path';
import { chalk } from 'zx';
import { exitWith, publishEvidence } from './cli/cli-edge.ts';
import { systemClock } from '../app/core/clock.ts';
import { addTargetOptions, connectTarget, releaseIdOf, targetsFrom, UsageError, type TargetCliOptions } from './cli/common.ts';
import { progressFor } from './cli/progress.ts';
import { parseDuration } from './config/duration.ts';
import type { HostTarget } from './config/host-target.ts';
import type { RemoteShell } from './remote/ssh-session.ts';
import { deployEvidence } from './evidence/to-evidence.ts';
import { qaGate } from './gate/qa-gate.ts';
import { fallbackFileSet, hashLocalFiles } from './gate/local-files.ts';
import { deployHost } from './pipeline/deploy-host.ts';
import { fleetExit, runFleet } from './pipeline/fleet.ts';
import { EXIT, newHostRun, type HostRun } from './pipeline/host-run.ts';
import { rollbackHost } from './pipeline/rollback-host.ts';
import { depsTarball } from './setup/deps-tarball.ts';
import { sudoersLines } from './setup/render-host-files.ts';
import { setupHost } from './setup/setup-host.ts';

interface DeployCliOptions extends TargetCliOptions {
  root: string;
  batch: string;
  rollbackFleet: boolean;
  dryRun?: boolean;
  skipQa?: boolean;
  breakStaleLock?: boolean;
  json?: boolean;
  envFile?: string;
  revertWindow: string;
  lockTtl: string;
}

const program = addTargetOptions(new Command('deploy'))
  .description('Deploy leakproof to systemd hosts over SSH, prove the startup cleanup, roll back by itself')
  .argument('[action]', '"setup" to provision a host')
  .option('--root <dir>', 'local project root holding the files to ship', process.cwd())
  .option('--proof-timeout <dur>', 'wait this long for the proof lines (default 30s)')
  .option('--grace <dur>', 'the service must stay up this long after the proof (default 10s)')
  .option('--watch <dur>', 'watch memory and restarts this long after the proof')
  .option('--warmup <dur>', 'memory growth is judged after this part of the watch (default 30s, at most half the window)')
  .option('--memory-budget <mb-per-min>', 'fail the watch when memory grows faster than this (default 20)')
  .option('--batch <n>', 'hosts per batch after the canary', '1')
  .option('--no-rollback-fleet', 'leave already-updated hosts in place when a later host fails')
  .option('--dry-run', 'preflight and per-file hash diff only; change nothing')
  .option('--skip-qa', 'deploy without a passing QA result (recorded in the report)')
  .option('--lock-ttl <dur>', 'lease lock TTL; a lock whose heartbeat is older is stale', '60s')
  .option('--revert-window <dur>', 'how far ahead the heartbeat keeps the host revert deadline', '20s')
  .option('--env-file <file>', 'setup: environment file for the unit (mode 0600 on the host; never logged)')
  .exitOverride();

function line(run: HostRun): string {
  const mark = run.exitCode === 0 ? chalk.green('✔') : run.exitCode === 1 ? chalk.yellow('↺') : chalk.red('✘');
  return `${mark} ${run.name}: ${run.finalState}${run.reason ? ` — ${run.reason}` : ''}`;
}

async function main(): Promise<number> {
  try {
    program.parse(process.argv);
  } catch (err) {
    const code = (err as { exitCode?: number }).exitCode;
    return code === 0 ? 0 : EXIT.usage;
  }
  const action = program.args[0];
  const o = program.opts<DeployCliOptions>();
  if (action !== undefined && action !== 'setup') throw new UsageError(`unknown action "${action}" (only "setup")`);
  const batch = Number(o.batch);
  if (!Number.isInteger(batch) || batch < 1) throw new UsageError(`--batch: "${o.batch}" is not a positive integer`);
  const targets = await targetsFrom(o);
  const root = resolve(o.root);
  const started = new Date();

  // The shipped set: the inventory's list, else the QA report's runtime files, else a fallback.
  const gateProbe = await qaGate(root, null, true);
  const listed = targets[0]?.files ?? (gateProbe.evidence.qaFiles.length ? gateProbe.evidence.qaFiles : o.skipQa ? await fallbackFileSet(root) : []);
  const hashed = await hashLocalFiles(root, listed);
  if (!hashed.ok) throw new UsageError(hashed.reason);
  const gate = await qaGate(root, hashed.files, o.skipQa === true);
  if (!gate.ok) throw new UsageError(gate.reason);
  if (gate.reason) console.error(chalk.yellow(gate.reason));
  const releaseId = releaseIdOf(started, gate.evidence.shippedSha256);
  const lockFile = await readFile(resolve(root, 'package-lock.json')).catch(() => undefined);
  const lockSha256 = lockFile ? createHash('sha256').update(lockFile).digest('hex') : undefined;

  const lockTtlMs = parseDuration(o.lockTtl, '--lock-ttl');
  const revertWindowMs = parseDuration(o.revertWindow, '--revert-window');
  if (!lockTtlMs.ok) throw new UsageError(lockTtlMs.reason);
  if (!revertWindowMs.ok) throw new UsageError(revertWindowMs.reason);
  const ac = new AbortController();
  const onSignal = (sig: string) => ac.abort(sig);
  process.once('SIGINT', onSignal);
  process.once('SIGTERM', onSignal);

  const withShell = async (t: HostTarget, fn: (shell: RemoteShell, reconnect: () => Promise<RemoteShell | undefined>) => Promise<HostRun>): Promise<HostRun> => {
    const c = await connectTarget(t, o);
    if (!c.ok) return { ...newHostRun(t.name, t.address, t.appDir), exitCode: EXIT.usage, reason: c.reason };
    const opened: RemoteShell[] = [c.shell];
    const reconnect = async () => {
      const again = await connectTarget(t, o);
      if (!again.ok) return undefined;
      opened.push(again.shell);
      return again.shell;
    };
    try {
      return await fn(c.shell, reconnect);
    } finally {
      for (const s of opened) s.close();
    }
  };

  const progress = progressFor(targets.map((t) => t.name));
  let runs: HostRun[];
  if (action === 'setup') {
    const deps = await depsTarball(root);
    if (!deps.ok) throw new UsageError(deps.reason);
    runs = await progress.around(() => runFleet(targets, batch, (t) => withShell(t, (shell) => setupHost(shell, t, { releaseId, files: hashed.files, deps, envFile: o.envFile, clock: systemClock, onStep: progress.onStep })), undefined));
    for (const t of targets) console.error(`sudoers for ${t.name} (install with visudo -f /etc/sudoers.d/leakproof):\n${sudoersLines(t.user, t.service).join('\n')}`);
  } else {
    runs = await progress.around(() =>
      runFleet(
        targets,
        batch,
        (t) =>
          withShell(t, (shell, reconnect) =>
            deployHost(shell, t, {
              reconnect, releaseId, files: hashed.files, lockSha256, dryRun: o.dryRun === true, breakStaleLock: o.breakStaleLock === true, clock: systemClock, signal: ac.signal, lockTtlMs: lockTtlMs.ms, revertWindowMs: revertWindowMs.ms, onStep: progress.onStep }),
          ),
        o.rollbackFleet && !o.dryRun ? (t, reason) => withShell(t, (shell) => rollbackHost(shell, t, { reason, by: 'deploy', breakStaleLock: false, clock: systemClock, onStep: progress.onStep })) : undefined,
      ),
    );
  }
  const exitCode = fleetExit(runs);
  for (const r of runs) {
    console.error(line(r));
    if (o.dryRun) for (const d of r.diff) console.error(`   ${d.change.padEnd(9)} ${d.path}`);
  }
  const evidence = deployEvidence({
    kind: 'deploy',
    startedAt: started,
    releaseId,
    sourcesSha256: gate.evidence.shippedSha256,
    qaVerdict: gate.evidence.verdict,
    selectedBy: 'build',
    dryRun: o.dryRun === true,
    runs,
    exitCode,
  });
  await publishEvidence(evidence, { root: root, json: o.json });
  return exitCode;
}

exitWith('deploy', main);
