import { writeFile, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, posix } from 'node:path';
import type { Clock } from '../../app/core/clock.ts';
import { DEFAULTS, NEXT_CLEANUP_PATTERN } from '../config/defaults.ts';
import type { HostTarget } from '../config/host-target.ts';
import { appendRecord } from '../pipeline/deploy-host.ts';
import { EXIT, newHostRun, type HostRun } from '../pipeline/host-run.ts';
import { depsHashPath } from '../pipeline/preflight.ts';
import type { ManifestEntry } from '../releases/release-record.ts';
import { hostTool, HOST_TOOL } from '../remote/host-tool.ts';
import { restartAndProve } from '../remote/restart-proof.ts';
import type { RemoteShell } from '../remote/ssh-session.ts';
import { sh, shQuote } from '../remote/sh-quote.ts';
import { stepRunner, type OnStep, type StepOutcome } from '../remote/step.ts';
import { uploadFiles, type UploadFile } from '../remote/upload.ts';
import { unitName } from '../remote/unit-status.ts';
import { HOST_TOOL_SOURCE, renderHostFiles } from './render-host-files.ts';

export interface SetupOptions {
  releaseId: string;
  files: UploadFile[];
  deps: { path: string; lockSha256: string };
  envFile: string | undefined;
  memoryMax?: string;
  clock: Clock;
  onStep?: OnStep;
}

const ok = <E>(evidence: E): StepOutcome<E> => ({ ok: true, reason: '', evidence });
const bad = (reason: string): StepOutcome<undefined> => ({ ok: false, reason, evidence: undefined });

/**
 * Provisions a host: app dir with backups/ (0700), production dependencies from the local tarball, the
 * root-owned host tool, unit and revert timer (through `sudo -n sh` when not root), then the first
 * release, proven and recorded like any deploy.
 */
export async function setupHost(shell: RemoteShell, t: HostTarget, o: SetupOptions): Promise<HostRun> {
  const run = newHostRun(t.name, t.address, t.appDir);
  const step = stepRunner(run, o.clock, o.onStep);
  const fail = (reason: string): HostRun => ({ ...run, finalState: 'failed', exitCode: EXIT.unverified, reason });
  const who = await shell.exec('id -u');
  const asRoot = who.stdout.trim() === '0' ? 'sh -s' : 'sudo -n /bin/sh -s';
  const backups = posix.join(t.appDir, 'backups');

  const dirs = await step('app-dir', async () => {
    const r = await shell.exec(`${sh('mkdir', '-p', '--', t.appDir, `${backups}/objects`)} && ${sh('chmod', '0700', backups, `${backups}/objects`)} && touch ${shQuote(`${t.appDir}/releases.jsonl`)} && chmod 0600 ${shQuote(`${t.appDir}/releases.jsonl`)}`);
    return r.code === 0 ? ok(undefined) : bad(`app dir: ${r.failure ?? r.stderr.trim()}`);
  });
  if (!dirs.ok) return fail(dirs.reason);

  const deps = await step('dependencies', async () => {
    const tmp = `${backups}/deps.tgz.tmp`;
    const put = await shell.put(o.deps.path, tmp, 300_000);
    if (!put.ok) return bad(put.reason);
    const r = await shell.exec(
      `cd ${shQuote(t.appDir)} && rm -rf node_modules.new && mkdir node_modules.new && tar xzf ${shQuote(tmp)} -C node_modules.new && rm -rf node_modules && mv node_modules.new/node_modules node_modules && rmdir node_modules.new && rm -f ${shQuote(tmp)} && echo ${o.deps.lockSha256} > ${shQuote(depsHashPath(t.appDir))}`,
      { timeoutMs: 300_000 },
    );
    return r.code === 0 ? ok({ lockSha256: o.deps.lockSha256 }) : bad(`dependencies: ${r.failure ?? r.stderr.trim()}`);
  });
  if (!deps.ok) return fail(deps.reason);

  if (o.envFile) {
    const env = await step('env-file', async () => {
      const dest = `${t.appDir}/leakproof.env`;
      const put = await shell.put(o.envFile ?? '', `${dest}.tmp`, 30_000);
      if (!put.ok) return bad(put.reason);
      const r = await shell.exec(`chmod 0600 ${shQuote(`${dest}.tmp`)} && mv -f ${shQuote(`${dest}.tmp`)} ${shQuote(dest)}`);
      return r.code === 0 ? ok(undefined) : bad(`env file: ${r.stderr.trim()}`);
    });
    if (!env.ok) return fail(env.reason);
  }

  const root = await step('root-install', async () => {
    const files = await renderHostFiles({ user: t.user, appDir: t.appDir, service: t.service, memoryMax: o.memoryMax ?? DEFAULTS.memoryMax });
    const stage = `${backups}/setup-stage`;
    const local = await mkdtemp(join(tmpdir(), 'leakproof-setup-'));
    try {
      const mk = await shell.exec(sh('mkdir', '-p', stage));
      if (mk.code !== 0) return bad(`stage: ${mk.stderr.trim()}`);
      const installs: string[] = [];
      const all: Record<string, string> = { ...files, [HOST_TOOL]: '' };
      let i = 0;
      for (const [dest, content] of Object.entries(all)) {
        const src = dest === HOST_TOOL ? HOST_TOOL_SOURCE : join(local, `f${i}`);
        if (dest !== HOST_TOOL) await writeFile(src, content);
        const staged = `${stage}/f${i}`;
        const put = await shell.put(src, staged, 30_000);
        if (!put.ok) return bad(put.reason);
        installs.push(sh('install', '-D', '-o', 'root', '-g', 'root', '-m', dest.endsWith('.sh') || dest.endsWith('.mjs') ? '0755' : '0644', staged, dest));
        i += 1;
      }
      const script = [
        'set -e',
        ...installs,
        'systemctl daemon-reload',
        sh('systemctl', 'enable', unitName(t.service)),
        sh('rm', '-rf', '--', stage),
      ].join('\n');
      const r = await shell.exec(asRoot, { stdin: `${script}\n`, timeoutMs: 120_000 });
      return r.code === 0 ? ok({ installed: Object.keys(all) }) : bad(`root install (needs root or sudo sh for setup): ${r.failure ?? r.stderr.trim()}`);
    } finally {
      await rm(local, { recursive: true, force: true });
    }
  });
  if (!root.ok) return fail(root.reason);

  const up = await step('upload', () => uploadFiles(shell, t.appDir, o.files, `setup-${process.pid}`, 60_000));
  if (!up.ok) return fail(up.reason);
  const store = await step('store', () =>
    hostTool<{ entries: ManifestEntry[] }>(shell, 'store', t.appDir, undefined, { files: o.files.map((f) => f.path) }).then((r) =>
      r.ok ? ok(r.value.entries) : { ok: false, reason: r.reason, evidence: [] as ManifestEntry[] },
    ),
  );
  if (!store.ok) return fail(store.reason);
  const patterns = { startup: new RegExp(t.logPattern, 'u'), next: new RegExp(NEXT_CLEANUP_PATTERN, 'u') };
  const proof = await step('restart-proof', () => restartAndProve(shell, { service: t.service, patterns, proofTimeoutMs: t.proofTimeoutMs, graceMs: t.graceMs, clock: o.clock }));
  run.proof = proof.evidence;
  const status = proof.ok ? 'verified' : 'failed';
  await appendRecord(shell, t.appDir, { id: o.releaseId, time: new Date().toISOString(), status, manifest: proof.ok ? store.evidence : undefined, reason: proof.ok ? undefined : proof.reason, via: 'setup' });
  if (!proof.ok) return fail(proof.reason);
  return { ...run, finalState: 'deployed', exitCode: EXIT.ok };
}
