import { appendFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { changeHostKey, denyWrite, fullDisk, killSshSessions } from '../testing/guest-faults.ts';
import { slowLink } from '../testing/network-faults.ts';
import { describeVps } from '../testing/vps-vitest.ts';
import type { Vps } from '../testing/vps-handle.ts';
import { bootForDeploy, expectHostAtVerified, hostArgs, makeBuild, releaseRecords, runCli, tightenSudo, writeEnvFile } from './e2e-support.ts';

// The app dir itself carries spaces, quotes and a `$(...)`: every fault below also proves the quoting.
const NASTY_DIR = `/srv/lp app 'q' "dq" $(touch /tmp/pwned)`;

describeVps('deploy faults on a real VPS (app dir with spaces, quotes and $(...))', () => {
  let vps: Vps;
  beforeAll(async () => {
    vps = await bootForDeploy({ appDir: NASTY_DIR });
    const build = await makeBuild('faults-base');
    const env = await writeEnvFile(build, { LEAKPROOF_HTTP_PORT: '0', LEAKPROOF_CLEANUP_INTERVAL_SECONDS: '4' });
    const r = await runCli('deploy/deploy.ts', ['setup', ...hostArgs(vps), '--root', build, '--skip-qa', '--grace', '1s', '--env-file', env], { timeoutMs: 240_000 });
    if (r.code !== 0) throw new Error(`setup failed: ${r.stderr}`);
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

  it('--watch samples VmRSS (no MemoryCurrent in the guest) and sees the periodic cleanup', async () => {
    const r = await runCli('deploy/deploy.ts', args(await makeBuild('watch'), ['--watch', '12s']));
    expect(r.code, r.stderr).toBe(0);
    const ev = JSON.parse(r.stdout) as { hosts: { memory: { source: string; samples: { mb: number }[]; growthMbPerMin: number | null } | null; logProof: { nextCleanupLine: string } | null }[] };
    const mem = ev.hosts[0]?.memory;
    expect(mem?.source).toBe('VmRSS');
    expect(mem?.samples.length).toBeGreaterThanOrEqual(5);
    expect(mem?.samples.every((s) => s.mb > 10)).toBe(true);
    expect(ev.hosts[0]?.logProof?.nextCleanupLine).toMatch(/Next memory cleanup in 4s/);
    console.log(`[measure] good build growth over a 12 s watch: ${String(ev.hosts[0]?.memory?.growthMbPerMin)} MB/min`);
  }, 90_000);

  it('a leaking build fails the --watch on memory growth and is restored', async () => {
    const before = await lastVerified();
    // Retains 256 KiB of touched pages every 100 ms: about 150 MB/min of RSS, far above the budget.
    const build = await makeBuild('leak', { file: 'app/main.ts', from: /\/\/ build leak\n$/, to: 'const lpLeak: Buffer[] = [];\nsetInterval(() => lpLeak.push(Buffer.alloc(256 * 1024, 1)), 100);\n' });
    const r = await runCli('deploy/deploy.ts', args(build, ['--watch', '12s', '--warmup', '3s', '--memory-budget', '30']));
    expect(r.code, r.stderr).toBe(1);
    const host = (JSON.parse(r.stdout) as { hosts: { finalState: string; memory: { growthMbPerMin: number | null } | null; steps: { name: string; detail: string }[] }[] }).hosts[0]!;
    expect(host.steps.find((s) => s.name === 'watch')?.detail).toMatch(/memory grows [\d.]+ MB\/min > budget 30/);
    expect(host.memory?.growthMbPerMin).toBeGreaterThan(30);
    expect(host.finalState).toBe('rolled-back');
    await expectHostAtVerified(vps, before);
    expect((await releaseRecords(vps)).at(-1)?.status).toBe('failed');
  }, 120_000);

  it('SIGINT during the proof cuts it short, restores, releases the lock and exits 1 "interrupted"', async () => {
    const before = await lastVerified();
    // This build never proves, so without the interrupt the deploy would wait the whole 60 s.
    const build = await makeBuild('sigint', { file: 'app/service/start-service.ts', from: '(options.cleanup ?? config.cleanup.enabled)', to: '(false)' });
    const r = await runCli('deploy/deploy.ts', args(build, ['--proof-timeout', '60s']), { interrupt: { when: /: arm-timer ok /, signal: 'SIGINT' } });
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
    expect(r.stderr).toMatch(/changed\s+app\/main\.ts/);
    expect(r.stderr).toMatch(/unchanged\s+package\.json/);
    // Earlier tests leave failed records; the dry run must add none.
    expect(await releaseRecords(vps)).toEqual(recordsBefore);
    await expectHostAtVerified(vps, before);
  }, 60_000);

  it('a lockfile that differs from the installed dependencies exits 2 "re-run setup"', async () => {
    const build = await makeBuild('new-lock');
    await appendFile(join(build, 'package-lock.json'), '\n');
    const r = await runCli('deploy/deploy.ts', args(build));
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/re-run setup/);
  }, 60_000);

  it('SSH killed mid-upload: no hang, the host keeps its verified files', async () => {
    const before = await lastVerified();
    const build = await makeBuild('ssh-kill');
    // A big enough file at a slow rate so the kill lands inside the transfer.
    await writeFile(join(build, 'app/ballast.json'), JSON.stringify({ pad: 'x'.repeat(400_000) }));
    await appendFile(join(build, 'app/main.ts'), '');
    const slow = await slowLink(vps, 800);
    let killed = false;
    const poll = setInterval(() => {
      void vps.exec(['sh', '-c', `ls -a "$1"/app | grep -q lp-upload`, 'sh', vps.appDir]).then(async (res) => {
        if (res.code === 0 && !killed) {
          killed = true;
          await killSshSessions(vps);
        }
      });
    }, 100);
    const r = await runCli('deploy/deploy.ts', args(build, ['--proof-timeout', '20s']), { timeoutMs: 90_000 }).finally(async () => {
      clearInterval(poll);
      await slow.undo();
    });
    expect(killed).toBe(true);
    expect(r.code, r.stderr).toBe(1);
    expect(r.stderr).toMatch(/connection closed|upload/);
    await expectHostAtVerified(vps, before);
    expect((await vps.execOk(['sh', '-c', `find "$1" -name '*.lp-upload-*' | wc -l`, 'sh', vps.appDir])).trim()).toBe('0');
  }, 120_000);

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
    const fault = await fullDisk(vps, `${vps.appDir}/app`, { freeBytes: 0 });
    const r = await runCli('deploy/deploy.ts', args(await makeBuild('full-upload'))).finally(() => fault.undo());
    expect(r.code, r.stderr).toBe(1);
    expect(r.stderr).toMatch(/upload/);
    await expectHostAtVerified(vps, before);
  }, 120_000);

  it('permission denied on a file restores the verified release', async () => {
    const before = await lastVerified();
    const fault = await denyWrite(vps, `${vps.appDir}/app/main.ts`);
    const r = await runCli('deploy/deploy.ts', args(await makeBuild('denied'))).finally(() => fault.undo());
    expect(r.code, r.stderr).toBe(1);
    await expectHostAtVerified(vps, before);
  }, 120_000);

  it('a concurrent deploy is blocked by the lock with exit 3', async () => {
    const [a, b] = await Promise.all([
      runCli('deploy/deploy.ts', args(await makeBuild('conc-a'))),
      new Promise((res) => setTimeout(res, 1_500)).then(async () => runCli('deploy/deploy.ts', args(await makeBuild('conc-b')))),
    ]);
    expect([a.code, b.code].sort()).toEqual([0, 3]);
    expect(a.code === 3 ? a.stderr : b.stderr).toMatch(/lock held by/);
    await expectHostAtVerified(vps, await lastVerified());
  }, 120_000);

  it('a changed host key refuses to connect and changes nothing (exit 2)', async () => {
    const before = await lastVerified();
    await changeHostKey(vps);
    const r = await runCli('deploy/deploy.ts', args(await makeBuild('bad-key'), ['--accept-new-host-key']));
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/CHANGED host key, refusing/);
    await expectHostAtVerified(vps, before);
  }, 60_000);
});
