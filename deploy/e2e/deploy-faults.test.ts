// @module-tag e2e
// @module-tag vps
import type { ChildProcess } from 'node:child_process';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { changeHostKey, denyWrite, fullDisk, killSshSessions } from '../testing/guest-faults.ts';
import { slowLink } from '../testing/network-faults.ts';
import { describeVps } from '../testing/vps-vitest.ts';
import type { Vps } from '../testing/vps-handle.ts';
import { bootForDeploy, expectHostAtVerified, hostArgs, makeBuild, releaseRecords, runCli, setupOrThrow, tightenSudo, writeEnvFile } from './e2e-support.ts';

// The app dir itself carries spaces, quotes and a `$(...)`: every fault below also proves the quoting.
const NASTY_DIR = `/srv/lp app 'q' "dq" $(touch /tmp/pwned)`;

describeVps('deploy faults on a real VPS (app dir with spaces, quotes and $(...))', () => {
  let vps: Vps;
  beforeAll(async () => {
    vps = await bootForDeploy({ appDir: NASTY_DIR });
    const build = await makeBuild('faults-base');
    const env = await writeEnvFile(build, { LEAKPROOF_HTTP_PORT: '0', LEAKPROOF_CLEANUP_INTERVAL_SECONDS: '4' });
    await setupOrThrow([vps], [...hostArgs(vps), '--root', build, '--skip-qa', '--grace', '1s', '--env-file', env, '--exchange', 'sim'], 240_000);
    await tightenSudo(vps);
  }, 300_000);
  afterAll(async () => {
    await vps?.stop();
  });

  const args = (root: string, extra: string[] = []) => ['--skip-qa', ...hostArgs(vps), '--root', root, '--grace', '1s', '--proof-timeout', '20s', '--json', ...extra];
  const lastVerified = async () => (await releaseRecords(vps)).filter((x) => x.status === 'verified').at(-1)!.id;

  it('deploys into the nasty path, and nothing was executed from it', async () => {
    const r = await runCli('deploy/deploy.ts', args(await makeBuild('nasty-ok')));
    expect(r.code, r.stderr).toBe(0);
    await expectHostAtVerified(vps, await lastVerified());
    expect((await vps.exec(['test', '-e', '/tmp/pwned'])).code).toBe(1);
    expect((await vps.execOk(['systemctl', 'show', '-p', 'WorkingDirectory', '--value', vps.unit])).trim()).toBe(NASTY_DIR);
  }, 120_000);

  it('SIGINT during the proof cuts it short, restores, releases the lock and exits 1 "interrupted"', async () => {
    const before = await lastVerified();
    // This build never proves, so without the interrupt the deploy would wait the whole 60 s.
    const build = await makeBuild('sigint', { file: 'app/service/start-service.ts', from: '(options.cleanup ?? config.cleanup.enabled)', to: '(false)' });
    const r = await runCli('deploy/deploy.ts', args(build, ['--proof-timeout', '60s']), { interrupt: { when: /: store ok /, signal: 'SIGINT' } });
    expect(r.interruptedAt, r.stderr).toBeDefined();
    expect(r.code, r.stderr).toBe(1);
    const host = (JSON.parse(r.stdout) as { hosts: { finalState: string; steps: { name: string; detail: string }[] }[] }).hosts[0]!;
    expect(host.steps.find((s) => s.name === 'restart-proof')?.detail).toMatch(/interrupted \(SIGINT\)/);
    expect(host.finalState).toBe('rolled-back');
    console.log(`[measure] SIGINT during the proof → exit ${Date.now() - r.interruptedAt!} ms later (restore and its proof included)`);
    await expectHostAtVerified(vps, before);
    const last = (await releaseRecords(vps)).at(-1) as { status: string; reason?: string } | undefined;
    expect(last).toMatchObject({ status: 'failed', reason: 'interrupted (SIGINT)' });
    expect((await vps.exec(['test', '-e', `${vps.appDir}/.deploy-lock`])).code).toBe(1);
  }, 120_000);

  it('--dry-run prints the per-file hash diff and changes nothing', async () => {
    const before = await lastVerified();
    const recordsBefore = await releaseRecords(vps);
    const build = await makeBuild('dry');
    const r = await runCli('deploy/deploy.ts', args(build, ['--dry-run']));
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toMatch(/changed\s+dist\/leakproof\.mjs\n/);
    // Earlier tests leave failed records; the dry run must add none.
    expect(await releaseRecords(vps)).toEqual(recordsBefore);
    await expectHostAtVerified(vps, before);
  }, 60_000);

  it('SSH killed mid-upload: no hang, the host keeps its verified files', async () => {
    const before = await lastVerified();
    // The bundle (4 MB and its map) at a slow rate, so the kill lands inside the transfer. The CLI's
    // budget covers its build on a loaded machine (measured up to a minute at load 30) before the upload.
    const build = await makeBuild('ssh-kill');
    const slow = await slowLink(vps, 800);
    let killed = false;
    const poll = setInterval(() => {
      void vps.exec(['sh', '-c', `ls -a "$1"/dist | grep -q lp-upload`, 'sh', vps.appDir]).then(async (res) => {
        if (res.code === 0 && !killed) {
          killed = true;
          await killSshSessions(vps);
        }
      });
    }, 100);
    const r = await runCli('deploy/deploy.ts', args(build, ['--proof-timeout', '20s']), { timeoutMs: 180_000 }).finally(async () => {
      clearInterval(poll);
      await slow.undo();
    });
    expect(killed, r.stderr).toBe(true);
    expect(r.code, r.stderr).toBe(1);
    expect(r.stderr).toMatch(/connection closed|upload/);
    await expectHostAtVerified(vps, before);
    expect((await vps.execOk(['sh', '-c', `find "$1" -name '*.lp-upload-*' | wc -l`, 'sh', vps.appDir])).trim()).toBe('0');
  }, 240_000);

  it('a full disk at backup stops before any change', async () => {
    const before = await lastVerified();
    const fault = await fullDisk(vps, `${vps.appDir}/backups/objects`, { freeBytes: 0 });
    const r = await runCli('deploy/deploy.ts', args(await makeBuild('full-backup'))).finally(() => fault.undo());
    expect(r.code, r.stderr).toBe(1);
    expect(r.stderr).toMatch(/backup/);
    await expectHostAtVerified(vps, before);
  }, 120_000);

  it('a full disk at upload restores the verified release', async () => {
    const before = await lastVerified();
    const fault = await fullDisk(vps, `${vps.appDir}/dist`, { freeBytes: 0 });
    const r = await runCli('deploy/deploy.ts', args(await makeBuild('full-upload'))).finally(() => fault.undo());
    expect(r.code, r.stderr).toBe(1);
    expect(r.stderr).toMatch(/upload/);
    await expectHostAtVerified(vps, before);
  }, 120_000);

  it('permission denied on a file restores the verified release', async () => {
    const before = await lastVerified();
    const fault = await denyWrite(vps, `${vps.appDir}/dist/leakproof.mjs`);
    const r = await runCli('deploy/deploy.ts', args(await makeBuild('denied'))).finally(() => fault.undo());
    expect(r.code, r.stderr).toBe(1);
    await expectHostAtVerified(vps, before);
  }, 120_000);

  it('a concurrent deploy is blocked by the lock with exit 3', async () => {
    const [buildA, buildB] = [await makeBuild('conc-a'), await makeBuild('conc-b')];
    // A is paused (SIGSTOP) the moment it holds the lock and resumed once B has exited: no head start or
    // grace to guess, which CI load outran (B reached its preflight after A had finished). A's lease and
    // revert window outlast the pause, so A resumes as if nothing happened.
    let paused!: (child: ChildProcess) => void;
    const aHolds = new Promise<ChildProcess>((res) => (paused = res));
    const pauseA = (child: ChildProcess) => {
      child.kill('SIGSTOP');
      paused(child);
    };
    const aRun = runCli('deploy/deploy.ts', args(buildA, ['--lock-ttl', '300s', '--revert-window', '300s']), { reached: { when: /: lock ok /, then: pauseA }, timeoutMs: 240_000 });
    const childA = await aHolds;
    const b = await runCli('deploy/deploy.ts', args(buildB)).finally(() => childA.kill('SIGCONT'));
    const a = await aRun;
    expect(b.code, b.stderr).toBe(3);
    expect(b.stderr).toMatch(/lock held by/);
    expect(a.code, a.stderr).toBe(0);
    await expectHostAtVerified(vps, await lastVerified());
  }, 300_000);

  it('a changed host key refuses to connect and changes nothing (exit 2)', async () => {
    const before = await lastVerified();
    await changeHostKey(vps);
    const r = await runCli('deploy/deploy.ts', args(await makeBuild('bad-key'), ['--accept-new-host-key']));
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/host key CHANGED: .*refusing/);
    await expectHostAtVerified(vps, before);
  }, 60_000);
});
