import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, posix } from 'node:path';
import type { Clock } from '../../app/core/clock.ts';
import { DEFAULTS } from '../config/defaults.ts';
import type { HostTarget } from '../config/host-target.ts';
import type { ShardPlan } from '../config/shard-plan.ts';
import { EXIT, newHostRun, type HostRun } from '../pipeline/host-run.ts';
import { defineStep, runPipeline, type PipelineStep } from '../pipeline/pipeline.ts';
import { RELEASE_TAIL, type ReleaseCtx } from '../pipeline/release-steps.ts';
import { HOST_OPS, hostTool, HOST_TOOL } from '../remote/host-tool.ts';
import type { RemoteShell } from '../remote/ssh-session.ts';
import { rootOr } from '../remote/privilege.ts';
import { sh, shQuote } from '../remote/sh-quote.ts';
import { failed, passed, stepRunner, type OnStep } from '../remote/step.ts';
import type { UploadFile } from '../remote/upload.ts';
import type { ReleaseBuildInfo } from '../releases/release-record.ts';
import { appUnits } from '../remote/unit-status.ts';
import { handBackCommand } from './hand-back.ts';
import { configPath, HOST_TOOL_SOURCE, renderHostFiles } from './render-host-files.ts';

export type Exchange = 'bybit' | 'sim';

export interface SetupOptions {
  releaseId: string;
  files: UploadFile[];
  build: ReleaseBuildInfo;
  envFile: string | undefined;
  /** Written into the explicit service config: the unit never starts an implicit sim. */
  exchange: Exchange;
  /** Owner of the app dir, the user later deploys log in as. Default: the login user. */
  deployUser?: string;
  serviceUser?: string;
  memoryMax?: string;
  memoryHigh?: string;
  clock: Clock;
  onStep?: OnStep;
}

interface SetupCtx extends ReleaseCtx {
  o: SetupOptions;
  deployUser: string;
}

/**
 * The root part, as one script: the service user, the app dir handed to the deploy user, config, units.
 * It is one `{ … }` block, which sh parses whole before running any of it: a setup killed while sending
 * it on stdin leaves a syntax error, never the first half of the install.
 */
export function rootInstallScript(p: { serviceUser: string; deployUser: string; appDir: string; service: string; shards: ShardPlan; installs: string[]; stage: string }): string {
  const backups = posix.join(p.appDir, 'backups');
  const base = p.service.replace(/\.service$/, '');
  const releases = posix.join(p.appDir, 'releases.jsonl');
  return [
    '{',
    'set -e',
    `id -u ${shQuote(p.serviceUser)} >/dev/null 2>&1 || ${sh('useradd', '--system', '--user-group', '--no-create-home', '--home-dir', '/nonexistent', '--shell', '/usr/sbin/nologin', p.serviceUser)}`,
    sh('install', '-d', '-m', '0755', p.appDir),
    sh('install', '-d', '-m', '0700', backups, `${backups}/objects`),
    `${sh('touch', releases)} && ${sh('chmod', '0600', releases)}`,
    // Whoever ran setup (root, or an earlier deploy user), the app dir now belongs to the deploy user.
    sh('chown', '-R', '--', `${p.deployUser}:`, p.appDir),
    ...p.installs,
    // Switching between one unit and shards (or to another count) leaves no old process running or enabled.
    `${sh('systemctl', 'stop', `${base}@*.service`)} || true`,
    `rm -f -- /etc/systemd/system/*.wants/${shQuote(base)}@*.service`,
    ...(p.shards.count > 0 ? [`${sh('systemctl', 'disable', '--now', `${base}.service`)} 2>/dev/null || true`] : []),
    'systemctl daemon-reload',
    sh('systemctl', 'enable', ...appUnits(p)),
    sh('rm', '-rf', '--', p.stage),
    '}',
  ].join('\n');
}

const rootInstall = defineStep('root-install', async (c: SetupCtx) => {
  const serviceUser = c.o.serviceUser ?? DEFAULTS.serviceUser;
  const files = await renderHostFiles({ serviceUser, deployUser: c.deployUser, appDir: c.t.appDir, service: c.t.service, shards: c.t.shards, memoryMax: c.o.memoryMax ?? DEFAULTS.memoryMax, memoryHigh: c.o.memoryHigh ?? DEFAULTS.memoryHigh });
  const mk = await c.shell.exec('mktemp -d /tmp/leakproof-setup.XXXXXX');
  if (mk.code !== 0) return failed(`stage: ${mk.failure ?? mk.stderr.trim()}`);
  const stage = mk.stdout.trim();
  const local = await mkdtemp(join(tmpdir(), 'leakproof-setup-'));
  try {
    const all: { dest: string; src: string; owner: string; mode: string }[] = [{ dest: HOST_TOOL, src: HOST_TOOL_SOURCE, owner: 'root:root', mode: '0755' }];
    for (const dest of Object.keys(files)) all.push({ dest, src: '', owner: 'root:root', mode: dest.endsWith('.sh') ? '0755' : '0644' });
    all.push({ dest: configPath(c.t.service), src: '', owner: `root:${serviceUser}`, mode: '0640' });
    const contents: Record<string, string> = { ...files, [configPath(c.t.service)]: `${JSON.stringify({ exchange: c.o.exchange }, null, 2)}\n` };
    const installs: string[] = [];
    for (const [i, f] of all.entries()) {
      const src = f.src || join(local, `f${i}`);
      if (!f.src) await writeFile(src, contents[f.dest] ?? '');
      const put = await c.shell.put(src, `${stage}/f${i}`, 30_000);
      if (!put.ok) return failed(put.reason);
      const [owner, group] = f.owner.split(':');
      installs.push(sh('install', '-D', '-o', owner ?? 'root', '-g', group ?? 'root', '-m', f.mode, `${stage}/f${i}`, f.dest));
    }
    const script = rootInstallScript({ serviceUser, deployUser: c.deployUser, appDir: c.t.appDir, service: c.t.service, shards: c.t.shards, installs, stage });
    const r = await c.shell.exec(rootOr('sh -s', 'sudo -n /bin/sh -s'), { stdin: `${script}\n`, timeoutMs: 120_000 });
    return r.code === 0 ? passed({ installed: all.map((f) => f.dest), serviceUser }) : failed(`root install (needs root, or sudo for /bin/sh during setup): ${r.failure ?? r.stderr.trim()}`);
  } finally {
    await rm(local, { recursive: true, force: true });
  }
});

const envFile = defineStep(
  'env-file',
  async (c: SetupCtx) => {
    const dest = `${c.t.appDir}/leakproof.env`;
    const put = await c.shell.put(c.o.envFile ?? '', `${dest}.tmp`, 30_000);
    if (!put.ok) return failed(put.reason);
    const r = await c.shell.exec(`chmod 0600 ${shQuote(`${dest}.tmp`)} && mv -f ${shQuote(`${dest}.tmp`)} ${shQuote(dest)}`);
    return r.code === 0 ? passed(dest) : failed(`env file: ${r.stderr.trim()}`);
  },
  { when: (c) => c.o.envFile !== undefined },
);

const SETUP: readonly PipelineStep<SetupCtx>[] = [rootInstall, envFile, ...RELEASE_TAIL];

/**
 * Provisions a host: the service's system user, the app dir owned by the deploy user, the explicit
 * config, the root-owned host tool, unit and revert timer (directly as root, else through `sudo -n sh`),
 * then the first release (the bundle: no dependencies to install) through the same tail as every deploy.
 */
export async function setupHost(shell: RemoteShell, t: HostTarget, o: SetupOptions): Promise<HostRun> {
  const run = newHostRun(t.name, t.address, t.appDir);
  const step = stepRunner(run, o.clock, o.onStep);
  const c: SetupCtx = {
    shell, t, run, clock: o.clock, o, deployUser: o.deployUser ?? t.user, releaseId: o.releaseId, via: 'setup', files: o.files, build: o.build, changed: o.files,
    token: `setup-${process.pid}`, uploadTimeoutMs: 60_000, manifest: [], armed: false,
  };
  try {
    const end = await runPipeline(SETUP, c, step);
    if (end.ok) return { ...run, finalState: 'deployed', exitCode: EXIT.ok };
    if (run.steps.some((s) => s.name === 'store' && s.ok)) {
      await hostTool(shell, HOST_OPS.record, t.appDir, undefined, { id: o.releaseId, time: new Date().toISOString(), status: 'failed', reason: end.reason, via: 'setup' });
    }
    return { ...run, finalState: 'failed', exitCode: EXIT.unverified, reason: end.reason };
  } finally {
    await shell.exec(handBackCommand(t.appDir), { timeoutMs: 60_000 });
  }
}
