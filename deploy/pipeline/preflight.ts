import type { ShardPlan } from '../config/shard-plan.ts';
import { BUNDLE_PATH } from '../gate/local-files.ts';
import { diffFiles, type FileDiff } from '../releases/release-record.ts';
import { HOST_OPS, hostTool, HOST_TOOL } from '../remote/host-tool.ts';
import { deniedCommands, sudoDenials, unlessRoot } from '../remote/privilege.ts';
import { sudoCommandWords } from '../setup/render-host-files.ts';
import { inspectLock, type LockOwner, type LockState } from '../remote/lock.ts';
import type { RemoteShell } from '../remote/ssh-session.ts';
import { sh } from '../remote/sh-quote.ts';
import type { StepOutcome } from '../remote/step.ts';
import type { UploadFile } from '../remote/upload.ts';
import { appUnits } from '../remote/unit-status.ts';

export interface PreflightEvidence {
  sudoOk: boolean;
  unitLoaded: boolean;
  freeKb: number;
  needKb: number;
  lock: LockState;
  /** The unit's command line runs the bundle (a host set up before the bundle runs app/main.ts under tsx). */
  runsBundle: boolean;
  diff: FileDiff[];
}

/**
 * Why an app unit cannot take this release: not installed, not running the bundle (set up before it: the
 * restart would prove the old code), or told another shard count than this deploy's.
 */
/** The setup that installs what this deploy expects: a cut over hosts comes from the inventory, not a flag. */
function setupCommand(shards: ShardPlan): string {
  if (shards.count === 0) return 'deploy setup';
  if (shards.run.length === shards.count) return `deploy setup --shards ${shards.count}`;
  return `deploy setup --inventory (this host: shards ${shards.run.join(', ')} of ${shards.count})`;
}

async function unitProblem(shell: RemoteShell, unit: string, shards: ShardPlan, ev: PreflightEvidence): Promise<string | undefined> {
  const res = await shell.exec(sh('systemctl', 'show', '-p', 'LoadState', '-p', 'ExecStart', '-p', 'Environment', unit), { timeoutMs: 15_000 });
  const prop = (k: string) => new RegExp(`^${k}=(.*)$`, 'm').exec(res.stdout)?.[1] ?? '';
  const setup = setupCommand(shards);
  ev.unitLoaded = prop('LoadState') === 'loaded';
  if (!ev.unitLoaded) return `unit ${unit} is not installed: run ${setup}`;
  ev.runsBundle = prop('ExecStart').includes(` ${BUNDLE_PATH} `);
  if (!ev.runsBundle) return `unit ${unit} does not run ${BUNDLE_PATH} (set up before the bundle?): re-run ${setup}`;
  const count = /(?:^| )LEAKPROOF_SHARD_COUNT=(\d+)/.exec(prop('Environment'))?.[1];
  if (shards.count > 0 && count !== String(shards.count)) return `unit ${unit} was set up for ${count ?? 'no'} shards, not ${shards.count}: re-run ${setup}`;
  return undefined;
}

/**
 * Read-only checks. A `kind` of 'usage' means nothing can work until an admin acts (exit 2), 'locked'
 * means another deploy holds the host (exit 3).
 */
export async function preflight(
  shell: RemoteShell,
  o: { appDir: string; service: string; shards: ShardPlan; files: UploadFile[]; holderGone?: (owner: LockOwner) => Promise<string | undefined> },
): Promise<StepOutcome<PreflightEvidence> & { kind?: 'usage' | 'locked' }> {
  const ev: PreflightEvidence = { sudoOk: false, unitLoaded: false, freeKb: 0, needKb: 0, lock: { state: 'free' }, runsBundle: false, diff: [] };
  const fail = (kind: 'usage' | 'locked', reason: string) => ({ ok: false, reason, evidence: ev, kind });
  const commands = sudoCommandWords(o.service, o.shards);
  const sudo = await shell.exec(sudoDenials(commands), { timeoutMs: 15_000 });
  if (sudo.failure) return fail('usage', `preflight: ${sudo.failure}`);
  const missing = deniedCommands(commands, sudo.stdout).map((c) => c.join(' '));
  ev.sudoOk = missing.length === 0;
  if (!ev.sudoOk) return fail('usage', `preflight: sudo does not allow: ${missing.join('; ')} (run deploy setup and install its sudoers lines)`);
  for (const unit of appUnits(o)) {
    const problem = await unitProblem(shell, unit, o.shards, ev);
    if (problem) return fail('usage', `preflight: ${problem}`);
  }
  const tool = await shell.exec(sh('test', '-r', HOST_TOOL));
  if (tool.code !== 0) return fail('usage', `preflight: ${HOST_TOOL} missing: run deploy setup`);
  // The app dir itself was checked when the session opened (checkAppDir); here: may this login write it?
  const app = await shell.exec(unlessRoot(`${sh('test', '-w', `${o.appDir}/backups`)} || echo foreign`));
  if (app.stdout.includes('foreign')) return fail('usage', `preflight: ${o.appDir}/backups is not writable by this login: run deploy setup --deploy-user <this user> to hand the app dir over`);
  const df = await shell.exec(sh('df', '-Pk', '--', o.appDir));
  ev.freeKb = Number(df.stdout.trim().split('\n')[1]?.split(/\s+/)[3] ?? 0);
  const lock = await inspectLock(shell, o.appDir);
  ev.lock = lock.lock;
  const hashes = await hostTool(shell, HOST_OPS.hash, o.appDir, undefined, { files: o.files.map((f) => f.path) });
  if (!hashes.ok) return fail('usage', `preflight: ${hashes.reason}`);
  ev.diff = diffFiles(o.files, new Map(hashes.value.files.map((f) => [f.path, f.sha256 ?? null])));
  // Backup of the replaced files + temp uploads + content-store copies, with slack.
  const bytes = o.files.reduce((a, f) => a + f.size, 0);
  ev.needKb = Math.ceil((3 * bytes) / 1024) + 1024;
  if (ev.freeKb < ev.needKb) return fail('usage', `preflight: ${ev.freeKb} KB free in ${o.appDir}, need ${ev.needKb} KB`);
  // A live-looking lock whose holder is gone (dead pid here, or its release reverted) is the lock step's to take over.
  if (ev.lock.state === 'live' && (await o.holderGone?.(ev.lock.owner)) === undefined) return fail('locked', `preflight: lock held by ${ev.lock.owner.owner}@${ev.lock.owner.host} pid ${ev.lock.owner.pid}`);
  return { ok: true, reason: '', evidence: ev };
}
