#!/usr/bin/env -S node --import tsx
import { Command } from 'commander';
import { resolve } from 'node:path';
import { chalk, expBackoff, retry, spinner } from 'zx';
import { changeTracker, exitWith, publishEvidence } from './cli/cli-edge.ts';
import { systemClock } from '../app/core/clock.ts';
import { addTargetOptions, connectTarget, openTarget, releaseIdOf, targetsFrom, UsageError, type TargetCliOptions } from './cli/common.ts';
import { progressFor } from './cli/progress.ts';
import { parseDuration } from '../app/core/duration.ts';
import type { HostTarget } from './config/host-target.ts';
import type { RemoteShell } from './remote/ssh-session.ts';
import type { StepEvent } from './remote/step.ts';
import { deployEvidence } from './evidence/to-evidence.ts';
import { qaGate } from './gate/qa-gate.ts';
import { FILES_TO_UPLOAD, hashLocalFiles } from './gate/local-files.ts';
import { buildRelease } from './gate/release-build.ts';
import { deployHost, holderGone } from './pipeline/deploy-host.ts';
import { fleetExit, runFleet } from './pipeline/fleet.ts';
import { EXIT, newHostRun, type HostRun } from './pipeline/host-run.ts';
import { preflight } from './pipeline/preflight.ts';
import { rollbackHost } from './pipeline/rollback-host.ts';
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
  exchange?: string;
  deployUser?: string;
  serviceUser?: string;
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
  .option('--env-file <file>', 'setup only: environment file for the unit (created 0600 on the host before a byte is written; never logged); a deploy refuses it')
  .option('--exchange <bybit|sim>', 'setup (required): the exchange written into the service config file; the unit starts with --config')
  .option('--deploy-user <user>', 'setup: who owns the app dir and deploys later (default: the login user)')
  .option('--service-user <user>', 'setup: the system user the service runs as (created if missing)', 'leakproof')
  .exitOverride();

function setupExchange(v: string | undefined): 'bybit' | 'sim' {
  if (v === 'bybit' || v === 'sim') return v;
  throw new UsageError(v === undefined ? 'setup: --exchange bybit|sim is required (the service must never run an implicit sim)' : `--exchange: "${v}" is not bybit or sim`);
}

/** A non-root login can only hand the app dir to itself; root may hand it to the later deploy user. */
function deployUserOf(t: HostTarget, given: string | undefined): string {
  if (given === undefined || given === t.user) return t.user;
  if (t.user !== 'root') throw new UsageError(`--deploy-user ${given}: only a root login can set up the app dir for another user (logged in as ${t.user})`);
  if (!/^[a-z_][a-z0-9_-]*$/.test(given)) throw new UsageError(`--deploy-user: "${given}" is not a user name`);
  return given;
}

function line(run: HostRun): string {
  const mark = run.exitCode === 0 ? chalk.green('✔') : run.exitCode === 1 ? chalk.yellow('↺') : chalk.red('✘');
  return `${mark} ${run.name}: ${run.finalState}${run.reason ? ` — ${run.reason}` : ''}`;
}

const tracker = changeTracker();

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
  const exchange = action === 'setup' ? setupExchange(o.exchange) : undefined;
  if (action !== 'setup' && o.envFile !== undefined) throw new UsageError('--env-file: a deploy does not change the env (it is not part of a release, so it could be neither backed up nor reverted): use deploy setup --env-file');
  const batch = Number(o.batch);
  if (!Number.isInteger(batch) || batch < 1) throw new UsageError(`--batch: "${o.batch}" is not a positive integer`);
  const targets = await targetsFrom(o);
  if (action === 'setup') for (const t of targets) deployUserOf(t, o.deployUser);
  const root = resolve(o.root);
  const started = new Date();

  // zx's spinner redraws on every tick: only on a terminal, never into CI logs.
  const built = await (process.stderr.isTTY ? spinner('npm run build', () => buildRelease(root)) : buildRelease(root));
  if (!built.ok) throw new UsageError(built.reason);
  const sources = await hashLocalFiles(root, built.build.sourceFiles);
  if (!sources.ok) throw new UsageError(`bundle source ${sources.reason}`);
  const gate = await qaGate(root, sources.files, o.skipQa === true);
  if (!gate.ok) throw new UsageError(gate.reason);
  if (gate.reason) console.error(chalk.yellow(gate.reason));
  const hashed = await hashLocalFiles(root, FILES_TO_UPLOAD);
  if (!hashed.ok) throw new UsageError(`build output ${hashed.reason}`);
  const releaseId = releaseIdOf(started, gate.evidence.sourcesSha256);
  const build = { bundleSha256: built.build.bundleSha256, sourcesSha256: gate.evidence.sourcesSha256, qaVerdict: gate.evidence.verdict };

  const lockTtlMs = parseDuration(o.lockTtl, '--lock-ttl');
  const revertWindowMs = parseDuration(o.revertWindow, '--revert-window');
  if (!lockTtlMs.ok) throw new UsageError(lockTtlMs.reason);
  if (!revertWindowMs.ok) throw new UsageError(revertWindowMs.reason);
  // The heartbeat pushes the deadline every 3 s: a shorter window would revert a live, slow deploy.
  if (revertWindowMs.ms < 6_000) throw new UsageError(`--revert-window: ${o.revertWindow} is shorter than 6s (two heartbeats)`);
  const ac = new AbortController();
  const onSignal = (sig: string) => ac.abort(sig);
  process.once('SIGINT', onSignal);
  process.once('SIGTERM', onSignal);

  // setup connects to hosts not prepared yet; everything else needs a set-up host and its app dir.
  const open = action === 'setup' ? connectTarget : openTarget;
  const withShell = async (t: HostTarget, fn: (shell: RemoteShell, reconnect: () => Promise<RemoteShell | undefined>) => Promise<HostRun>): Promise<HostRun> => {
    const c = await open(t, o);
    if (!c.ok) return { ...newHostRun(t.name, t.address, t.appDir), exitCode: EXIT.usage, reason: c.reason };
    const opened: RemoteShell[] = [c.shell];
    // After a link drop the restore needs a fresh session; the link may still be flapping, so a few tries.
    const reconnect = async (): Promise<RemoteShell | undefined> => {
      try {
        return await retry(3, expBackoff('4s', '500ms'), async () => {
          const again = await connectTarget(t, o);
          if (!again.ok) throw new Error(again.reason);
          opened.push(again.shell);
          return again.shell;
        });
      } catch {
        return undefined;
      }
    };
    try {
      return await fn(c.shell, reconnect);
    } finally {
      for (const s of opened) s.close();
    }
  };

  // Every host is reached (and, for a deploy, preflighted) before the first one changes.
  const check = (t: HostTarget) =>
    withShell(t, async (shell) => {
      const run = newHostRun(t.name, t.address, t.appDir);
      if (action === 'setup') return run;
      const pre = await preflight(shell, { appDir: t.appDir, service: t.service, shards: t.shards, files: hashed.files, holderGone: (owner) => holderGone(shell, t.appDir, owner) });
      return pre.ok ? run : { ...run, exitCode: pre.kind === 'locked' ? EXIT.locked : EXIT.usage, reason: pre.reason };
    });
  const shown = progressFor(targets.map((t) => t.name));
  const progress = { ...shown, onStep: (e: StepEvent) => {
      tracker.onStep(e);
      shown.onStep(e);
    } };
  let runs: HostRun[];
  if (action === 'setup') {
    const ex = exchange ?? 'sim';
    runs = await progress.around(() =>
      runFleet(
        targets,
        batch,
        (t) => withShell(t, (shell) => setupHost(shell, t, { releaseId, files: hashed.files, build, envFile: o.envFile, exchange: ex, deployUser: deployUserOf(t, o.deployUser), serviceUser: o.serviceUser, clock: systemClock, onStep: progress.onStep })),
        undefined,
        targets.length > 1 ? check : undefined,
      ),
    );
    for (const t of targets) {
      const user = deployUserOf(t, o.deployUser);
      console.error(user === 'root' ? `${t.name}: deploys as root run systemctl directly (no sudoers lines)` : `sudoers for ${t.name} (install with visudo -f /etc/sudoers.d/leakproof):\n${sudoersLines(user, t.service, t.shards).join('\n')}`);
    }
  } else {
    runs = await progress.around(() =>
      runFleet(
        targets,
        batch,
        (t) =>
          withShell(t, (shell, reconnect) =>
            deployHost(shell, t, {
              reconnect, releaseId, files: hashed.files, build, dryRun: o.dryRun === true, breakStaleLock: o.breakStaleLock === true, clock: systemClock, signal: ac.signal, lockTtlMs: lockTtlMs.ms, revertWindowMs: revertWindowMs.ms, onStep: progress.onStep }),
          ),
        o.rollbackFleet && !o.dryRun ? (t, reason) => withShell(t, (shell) => rollbackHost(shell, t, { reason, by: 'deploy', breakStaleLock: false, clock: systemClock, onStep: progress.onStep })) : undefined,
        targets.length > 1 ? check : undefined,
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
    sourcesSha256: build.sourcesSha256,
    bundleSha256: build.bundleSha256,
    qaVerdict: build.qaVerdict,
    selectedBy: 'build',
    dryRun: o.dryRun === true,
    runs,
    exitCode,
  });
  await publishEvidence(evidence, { root: root, json: o.json });
  return exitCode;
}

exitWith('deploy', main, tracker.hostMayBeUnverified);
