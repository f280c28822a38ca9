#!/usr/bin/env -S node --import tsx
import { Command } from 'commander';
import { chalk } from 'zx';
import { changeTracker, exitWith, publishEvidence } from '../deploy/cli/cli-edge.ts';
import { systemClock } from '../app/core/clock.ts';
import { addTargetOptions, openTarget, targetsFrom, UsageError, type TargetCliOptions } from '../deploy/cli/common.ts';
import { progressFor } from '../deploy/cli/progress.ts';
import { deployEvidence } from '../deploy/evidence/to-evidence.ts';
import { fleetExit } from '../deploy/pipeline/fleet.ts';
import { EXIT, newHostRun, type HostRun } from '../deploy/pipeline/host-run.ts';
import { readRecords, rollbackHost } from '../deploy/pipeline/rollback-host.ts';
import { summarizeReleases } from '../deploy/releases/release-record.ts';
import type { StepEvent } from '../deploy/remote/step.ts';

interface RollbackCliOptions extends TargetCliOptions {
  list?: boolean;
  to?: string;
  root: string;
  breakStaleLock?: boolean;
  json?: boolean;
}

const program = addTargetOptions(new Command('rollback'))
  .description('List releases, or restore the last verified one (or --to ID), and prove it')
  .option('--list', 'show releases per host: id, time, status, files')
  .option('--to <release-id>', 'restore this verified release')
  .option('--proof-timeout <dur>', 'wait this long for the proof lines (default 30s)')
  .option('--grace <dur>', 'the service must stay up this long after the proof')
  .option('--root <dir>', 'where reports/out lives', process.cwd())
  .exitOverride();

const tracker = changeTracker();

async function main(): Promise<number> {
  try {
    program.parse(process.argv);
  } catch (err) {
    return (err as { exitCode?: number }).exitCode === 0 ? 0 : EXIT.usage;
  }
  const o = program.opts<RollbackCliOptions>();
  if (o.list && o.to) throw new UsageError('give --list or --to, not both');
  if (o.to !== undefined && !/^[A-Za-z0-9._-]+$/.test(o.to)) throw new UsageError(`--to: "${o.to}" is not a release id`);
  const targets = await targetsFrom(o);
  const started = new Date();
  const runs: HostRun[] = [];
  const listing: Record<string, unknown> = {};
  const shown = o.list ? undefined : progressFor(targets.map((t) => t.name));
  const onStep = (e: StepEvent) => (tracker.onStep(e), shown?.onStep(e));
  const each = async (): Promise<HostRun[]> => {
    for (const t of targets) {
      const c = await openTarget(t, o);
      if (!c.ok) {
        runs.push({ ...newHostRun(t.name, t.address, t.appDir), exitCode: EXIT.usage, reason: c.reason });
        listing[t.name] = { error: c.reason };
        continue;
      }
      try {
        if (o.list) {
          const recs = await readRecords(c.shell, t.appDir);
          if (!recs.ok) {
            runs.push({ ...newHostRun(t.name, t.address, t.appDir), exitCode: EXIT.usage, reason: recs.reason });
            listing[t.name] = { error: recs.reason };
            continue;
          }
          const rows = summarizeReleases(recs.records);
          listing[t.name] = rows;
          if (!o.json) {
            console.log(chalk.bold(t.name));
            for (const r of rows) console.log(`  ${r.current ? '*' : ' '} ${r.id}  ${r.lastTime}  ${r.lastStatus.padEnd(11)} ${r.files} files`);
          }
          continue;
        }
        runs.push(await rollbackHost(c.shell, t, { to: o.to, reason: o.to ? `rollback --to ${o.to}` : 'rollback to the last verified release', by: 'rollback-command', breakStaleLock: o.breakStaleLock === true, clock: systemClock, onStep }));
      } finally {
        c.shell.close();
      }
    }
    return runs;
  };
  await (shown ? shown.around(each) : each());
  if (o.list) {
    if (o.json) process.stdout.write(`${JSON.stringify(listing, null, 2)}\n`);
    for (const r of runs) console.error(chalk.red(`✘ ${r.name}: ${r.reason}`));
    return fleetExit(runs);
  }
  const exitCode = fleetExit(runs);
  for (const r of runs) console.error(`${r.exitCode === 0 ? chalk.green('✔') : chalk.red('✘')} ${r.name}: ${r.finalState}${r.rollback?.toRelease ? ` → ${r.rollback.toRelease}` : ''}${r.reason ? ` — ${r.reason}` : ''}`);
  const target = runs.find((r) => r.rollback?.toRelease)?.rollback?.toRelease ?? 'none';
  const evidence = deployEvidence({ kind: 'rollback', startedAt: started, releaseId: target, sourcesSha256: null, bundleSha256: null, qaVerdict: null, selectedBy: o.to ? 'named' : 'last-verified', dryRun: false, runs, exitCode });
  await publishEvidence(evidence, { root: o.root, json: o.json });
  return exitCode;
}

exitWith('rollback', main, tracker.hostMayBeUnverified);
