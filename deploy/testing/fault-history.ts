import { createHash } from 'node:crypto';
import { DEFAULTS, STARTUP_LINE_PATTERN } from '../config/defaults.ts';
import type { HostTarget } from '../config/host-target.ts';
import { NO_SHARDS } from '../config/shard-plan.ts';
import { FILES_TO_UPLOAD } from '../gate/local-files.ts';
import { deployHost } from '../pipeline/deploy-host.ts';
import type { GuardOptions, LockIdentity } from '../pipeline/guarded-change.ts';
import type { HostRun } from '../pipeline/host-run.ts';
import { rollbackHost } from '../pipeline/rollback-host.ts';
import { checkInvariant } from '../releases/host-invariant.ts';
import type { UploadFile } from '../remote/upload.ts';
import { setupHost } from '../setup/setup-host.ts';
import { simHost, simSession, type SimHost, type SimSession } from './sim-host.ts';
import { PROVES } from './sim-systemd.ts';
import { virtualClock } from './virtual-clock.ts';

/**
 * A fault injected when the command's session sends its `at`-th remote command, or (fixed cases) `afterMs`
 * after the first command that contains `on`.
 */
export type Fault = { at: number; on?: string; afterMs?: number } & (
  | { kind: 'kill' }
  | { kind: 'disk-full' }
  | { kind: 'partition'; ms: number }
  | { kind: 'journald' }
  | { kind: 'skew'; ms: number }
  | { kind: 'second-deployer' }
);

export type HistoryEvent =
  | { cmd: 'deploy'; proves: boolean; fault?: Fault | undefined }
  | { cmd: 'rollback'; fault?: Fault | undefined }
  | { cmd: 'setup'; fault?: Fault | undefined }
  | { cmd: 'wait'; ms: number };

export interface HistoryResult {
  violations: string[];
  /** One line per event: the command and how it ended. */
  log: string[];
  runs: (HostRun | 'killed' | 'unreachable')[];
  host: SimHost;
}

const APP_DIR = '/srv/leakproof';
const TARGET: HostTarget = {
  name: 'sim', address: '127.0.0.1', port: 22, user: 'deploy', identityFiles: [], knownHostsFiles: [], knownHostsGiven: true, jump: undefined, appDir: APP_DIR, service: 'leakproof',
  shards: NO_SHARDS, logPattern: STARTUP_LINE_PATTERN, proofTimeoutMs: 20_000, graceMs: 1_000, watchMs: 0, warmupMs: DEFAULTS.warmupMs, memoryBudgetMbPerMin: 20,
};
const BUILD = { bundleSha256: 'b'.repeat(64), sourcesSha256: 'c'.repeat(64), qaVerdict: null };

export const describeEvent = (e: HistoryEvent): string =>
  e.cmd === 'wait'
    ? `wait ${e.ms / 1000}s`
    : `${e.cmd}${e.cmd === 'deploy' ? (e.proves ? '(good)' : '(bad)') : ''}${e.fault ? ` +${e.fault.kind}@${e.fault.on ?? e.fault.at}${e.fault.afterMs ? `+${e.fault.afterMs / 1000}s` : ''}${'ms' in e.fault ? `(${e.fault.ms / 1000}s)` : ''}` : ''}`;

/**
 * Plays one history against a fresh scripted host (set up first, fault-free): each command runs the
 * real deploy, rollback or setup code with its fault injected, time passes on the virtual clock, and
 * the invariant is judged after every remote command and every event. At the end, with the faults
 * lifted and two minutes passed, the host must be settled.
 */
export async function runHistory(events: readonly HistoryEvent[]): Promise<HistoryResult> {
  const clock = virtualClock();
  const local = new Map<string, string>();
  const violations: string[] = [];
  const log: string[] = [];
  const runs: HistoryResult['runs'] = [];
  let where = 'initial setup';
  let judged = '';
  const judge = (when: string) => {
    // Only a change of the files, the unit or the timer can change the verdict.
    const seen = `${host.fs.version()}/${host.systemd.unit.invocation}/${String(host.systemd.timerArmed())}/${String(host.systemd.unit.active)}`;
    if (seen === judged) return;
    judged = seen;
    const v = checkInvariant(host.state());
    if (!v.holds && violations.length < 5) violations.push(`${where}, ${when}: ${v.problems.join('; ')}`);
  };
  const host = simHost({ clock, appDir: APP_DIR, service: TARGET.service, appFiles: FILES_TO_UPLOAD, local, afterCommand: (c) => judge(`after \`${c.slice(0, 90)}\``) });
  const dead = new Set<number>();
  let pids = 1000;
  let builds = 0;
  const build = (proves: boolean): { releaseId: string; files: UploadFile[] } => {
    builds += 1;
    const releaseId = `r${builds}`;
    const files = FILES_TO_UPLOAD.map((path) => {
      const text = `${path} of ${releaseId}: ${proves ? PROVES : 'crashes at startup'}`;
      const localPath = `/local/${releaseId}/${path}`;
      local.set(localPath, text);
      return { path, localPath, sha256: createHash('sha256').update(text).digest('hex'), mode: 0o644, size: text.length };
    });
    return { releaseId, files };
  };

  async function command(cmd: 'deploy' | 'rollback' | 'setup', proves: boolean, fault: Fault | undefined, concurrent: Promise<unknown>[]): Promise<HostRun | 'killed' | 'unreachable'> {
    const pid = (pids += 1);
    const lifted: (() => void)[] = [];
    const inject = (f: Fault) => {
      if (f.kind === 'kill') session.kill();
      else if (f.kind === 'disk-full') {
        host.fs.capacity = host.fs.used();
        lifted.push(() => (host.fs.capacity = Number.POSITIVE_INFINITY));
      } else if (f.kind === 'journald') {
        host.systemd.suppress(1234);
        lifted.push(() => host.systemd.suppress(0));
      } else if (f.kind === 'partition') host.partition(f.ms);
      else if (f.kind === 'skew') host.faults.skewMs += f.ms;
      else if (f.kind === 'second-deployer') concurrent.push(command('deploy', true, undefined, concurrent).then((r) => runs.push(r)));
    };
    let fired = false;
    // A kill by count is the session's own (it decides whether that command still ran); the rest fire here.
    const byCount = fault?.kind === 'kill' && fault.on === undefined ? fault.at : undefined;
    const trigger = (n: number, sent: string) => {
      if (!fault || fired || byCount !== undefined || (fault.on ? !sent.includes(fault.on) : n !== fault.at)) return;
      fired = true;
      if (fault.afterMs === undefined) inject(fault);
      else void clock.sleep(fault.afterMs).then(() => inject(fault));
    };
    const session: SimSession = simSession(`${cmd}#${pid}`, byCount, trigger);
    void session.died.then(() => dead.add(pid));
    const shell = host.connect(session);
    if (!shell) return 'unreachable';
    const identity: LockIdentity = { me: (token, ttlMs, releaseId) => ({ token, owner: 'sim', host: 'sim-laptop', pid, pidStart: 1, releaseId, ttlMs }), gone: (o) => (dead.has(o.pid) ? `pid ${o.pid} is not running on sim-laptop` : undefined) };
    const reconnect = async () => {
      for (let i = 0; i < 6; i += 1) {
        const again = host.connect(session);
        if (again) return again;
        await clock.sleep(1_000 * 2 ** i);
      }
      return undefined;
    };
    const o: GuardOptions & { clock: typeof clock } = { clock, identity, reconnect, breakStaleLock: false, runToken: `${cmd}-${pid}`, revertWindowMs: 20_000 };
    const b = build(proves);
    const run =
      cmd === 'deploy'
        ? deployHost(shell, TARGET, { ...o, ...b, build: BUILD, dryRun: false })
        : cmd === 'rollback'
          ? rollbackHost(shell, TARGET, { ...o, reason: 'history', by: 'rollback-command' })
          : setupHost(shell, TARGET, { ...o, ...b, build: BUILD, envFile: undefined, exchange: 'sim' });
    const end = await Promise.race([run, session.died.then(() => 'killed' as const)]);
    for (const lift of lifted) lift();
    return end;
  }

  const first = await command('setup', true, undefined, []);
  log.push(`setup: ${typeof first === 'string' ? first : `exit ${first.exitCode} ${first.reason}`}`);
  for (const [i, e] of events.entries()) {
    where = `event ${i + 1} (${describeEvent(e)})`;
    if (e.cmd === 'wait') await clock.sleep(e.ms);
    else {
      const concurrent: Promise<unknown>[] = [];
      const r = await command(e.cmd, e.cmd === 'deploy' ? e.proves : true, e.fault, concurrent);
      await Promise.all(concurrent);
      runs.push(r);
      log.push(`${describeEvent(e)}: ${typeof r === 'string' ? r : `exit ${r.exitCode} ${r.finalState} ${r.reason}`}`);
    }
    judge('at the end of the event');
  }
  where = 'after the history';
  host.faults.partitionUntil = -1;
  await clock.sleep(120_000);
  judge('two minutes later');
  if (host.state().pending) violations.push(`after the history: ${host.state().pending?.releaseId ?? ''} is still pending two minutes later`);
  if (host.unknown.length) violations.push(`the scripted host did not know: ${host.unknown.slice(0, 3).join(' | ')}`);
  clock.stop();
  return { violations, log, runs, host };
}
