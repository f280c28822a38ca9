// @module-tag e2e
// @module-tag vps
import { afterAll, beforeAll, expect, it } from 'vitest';
import { describeVps } from '../testing/vps-vitest.ts';
import type { Vps } from '../testing/vps-handle.ts';
import { bootForDeploy, expectHostAtVerified, hostArgs, makeBuild, releaseRecords, runCli, tightenSudo, writeEnvFile } from './e2e-support.ts';

describeVps('deploy core on a real VPS: setup, proof, auto-rollback, rollback', () => {
  let vps: Vps;
  let good1: string;
  beforeAll(async () => {
    vps = await bootForDeploy();
    good1 = await makeBuild('good-1');
  }, 120_000);
  afterAll(async () => {
    await vps?.stop();
  });

  it('setup installs the unit and revert timer, ships only the bundle and its map, and proves the first release', async () => {
    const env = await writeEnvFile(good1, { LEAKPROOF_HTTP_PORT: '0' });
    const r = await runCli('deploy/deploy.ts', ['setup', ...hostArgs(vps), '--root', good1, '--skip-qa', '--grace', '1s', '--env-file', env, '--exchange', 'sim', '--json'], { timeoutMs: 240_000 });
    expect(r.stderr).toMatch(/deploy ALL=\(root\) NOPASSWD: \/usr\/bin\/systemctl restart leakproof.service/);
    expect(r.code, r.stderr).toBe(0);
    const ev = JSON.parse(r.stdout) as { hosts: { logProof: { line: string } | null }[] };
    expect(ev.hosts[0]?.logProof?.line).toMatch(/Startup cleanup complete/);
    await tightenSudo(vps);
    const recs = await releaseRecords(vps);
    expect(recs.map((x) => x.status)).toEqual(['verified']);
    await expectHostAtVerified(vps, recs[0]!.id);
    expect(await vps.execOk(['stat', '-c', '%a %U', `${vps.appDir}/backups`])).toBe('700 deploy\n');
    // One bundle and its map: no node_modules, no sources, no tsx on the host.
    expect((await vps.execOk(['sh', '-c', 'cd "$1" && find . -path ./backups -prune -o -type f -print | sort', 'sh', vps.appDir])).split('\n').filter(Boolean)).toEqual(['./dist/leakproof.mjs', './dist/leakproof.mjs.map', './leakproof.env', './releases.jsonl']);
    expect(recs[0]!.manifest?.map((m) => m.path)).toEqual(['dist/leakproof.mjs', 'dist/leakproof.mjs.map']);
    expect(recs[0]).toMatchObject({ build: { bundleSha256: recs[0]!.manifest?.[0]?.sha256, qaVerdict: null } });
    expect((await vps.execOk(['systemctl', 'show', '-p', 'ExecStart', '--value', vps.unit]))).toMatch(/argv\[\]=\/usr\/bin\/node --expose-gc --heapsnapshot-signal=SIGUSR2 --diagnostic-dir=\/var\/lib\/leakproof-heap\/\S+ dist\/leakproof\.mjs --config /);
  }, 300_000);

  // 45 s: with three VPS files booting guests in parallel on 2 cores, a good build's restart→proof was
  // measured at 2–13 s and once passed 20 s (the restore right after proved in 3 s once load dropped).
  const deployArgs = (root: string, extra: string[] = []) => ['--skip-qa', ...hostArgs(vps), '--root', root, '--grace', '2s', '--proof-timeout', '45s', '--json', ...extra];
  const lastVerified = async () => (await releaseRecords(vps)).filter((x) => x.status === 'verified').at(-1)!.id;
  type Ev = { hosts: { steps: { name: string; ok: boolean; durationMs: number; detail: string }[]; logProof: unknown; rollback: { toRelease: string | null; hashesVerified: boolean } | null; finalState: string }[] };
  const evOf = (stdout: string) => JSON.parse(stdout) as Ev;

  it('a good deploy is proven by the startup and next-cleanup lines of the new invocation', async () => {
    const build = await makeBuild('good-2');
    const r = await runCli('deploy/deploy.ts', deployArgs(build));
    expect(r.code, r.stderr).toBe(0);
    const host = evOf(r.stdout).hosts[0]!;
    const proof = host.steps.find((s) => s.name === 'restart-proof')!;
    console.log(`[measure] good deploy total ${r.ms} ms; ${proof.detail}`);
    expect(host.finalState).toBe('deployed');
    // Not a TTY here: one plain progress line per step on stderr, stdout left to the JSON parsed above.
    expect(r.stderr).toMatch(new RegExp(`${vps.user}@${vps.ip.replace(/\./g, '\\.')}: restart-proof ok \\d+\\.\\ds\n`));
    expect(r.stderr.match(/: \S+ (ok|FAILED) \d+\.\ds/g)?.length).toBe(host.steps.length);
    await expectHostAtVerified(vps, await lastVerified());
  }, 120_000);

  it('a build whose cleanup task never starts rolls back, even with stale and self-written lines around', async () => {
    const before = await lastVerified();
    const build = await makeBuild('no-cleanup', { file: 'app/service/start-service.ts', from: '(options.cleanup ?? config.cleanup.enabled)', to: '(false)' });
    // Lines written by someone else through syslog, and by the previous invocation, must never count.
    const fake = '✅ Startup cleanup complete in 0.01s: OHLCV trimmed: 4, OI trimmed: 2, GC: yes, Memory: 187.2MB → 171.4MB (-15.8MB freed)';
    const spam = setInterval(() => void vps.ssh(`logger -t leakproof '${fake}'; logger -t leakproof '🧹 Next memory cleanup in 600s'`), 500);
    // This build never proves, so it waits the whole timeout: keep it short.
    const r = await runCli('deploy/deploy.ts', deployArgs(build, ['--proof-timeout', '20s'])).finally(() => clearInterval(spam));
    expect(r.code, r.stderr).toBe(1);
    const host = evOf(r.stdout).hosts[0]!;
    expect(host.finalState).toBe('rolled-back');
    // The timeout names what the new invocation did log instead, so a stuck start is told from a lost line.
    expect(host.steps.find((s) => s.name === 'restart-proof')?.detail).toMatch(/proof timeout: 20000 ms without the startup cleanup line; its last lines: .*"HTTP listening on /);
    expect(host.rollback?.hashesVerified).toBe(true);
    await expectHostAtVerified(vps, before);
    expect((await releaseRecords(vps)).at(-1)?.status).toBe('failed');
  }, 180_000);

  it('a build that prints the line and then crashes rolls back', async () => {
    const before = await lastVerified();
    const build = await makeBuild('crash', { file: 'app/main.ts', from: /\/\/ build crash\n$/, to: 'setTimeout(() => process.exit(3), 1500);\n' });
    // The crash comes 1.5 s after main.ts finishes, which on a loaded 2-core CI machine can be seconds
    // after the proof line: the grace must outlast both.
    const r = await runCli('deploy/deploy.ts', deployArgs(build, ['--grace', '10s']));
    expect(r.code, r.stderr).toBe(1);
    expect(evOf(r.stdout).hosts[0]?.steps.find((s) => s.name === 'restart-proof')?.detail).toMatch(/restarted by systemd|NRestarts|unit is/);
    await expectHostAtVerified(vps, before);
  }, 120_000);

  it('rollback twice goes back two verified releases and never to the broken one', async () => {
    const good3 = await makeBuild('good-3');
    expect((await runCli('deploy/deploy.ts', deployArgs(good3))).code).toBe(0);
    const verified = [...new Set((await releaseRecords(vps)).filter((x) => x.status === 'verified').map((x) => x.id))];
    expect(verified).toHaveLength(3);
    const rb = (extra: string[] = []) => runCli('rollback/rollback.ts', [...hostArgs(vps), '--grace', '1s', '--json', ...extra]);
    const first = await rb();
    console.log(`[measure] rollback total ${first.ms} ms`);
    expect(first.code, first.stderr).toBe(0);
    await expectHostAtVerified(vps, verified[1]!);
    expect((await rb()).code).toBe(0);
    await expectHostAtVerified(vps, verified[0]!);
    const list = await runCli('rollback/rollback.ts', [...hostArgs(vps), '--list']);
    expect(list.stdout).toMatch(new RegExp(`\\* ${verified[0]}`));
    const third = await rb();
    expect(third.code).toBe(2);
    expect(third.stderr).toMatch(/no earlier verified release/);
    await expectHostAtVerified(vps, verified[0]!);
    expect((await rb(['--to', verified[2]!])).code).toBe(0);
    await expectHostAtVerified(vps, verified[2]!);
  }, 240_000);

  it('a deploy killed right after the restart is healed by the host timer', async () => {
    const before = await lastVerified();
    const build = await makeBuild('killed', { file: 'app/service/start-service.ts', from: '(options.cleanup ?? config.cleanup.enabled)', to: '(false)' });
    const oldInv = (await vps.execOk(['systemctl', 'show', '-p', 'InvocationID', '--value', vps.unit])).trim();
    const ac = new AbortController();
    let killedAt = 0;
    const watcher = setInterval(() => {
      void vps.exec(['systemctl', 'show', '-p', 'InvocationID', '--value', vps.unit]).then((res) => {
        if (!killedAt && res.stdout.trim() && res.stdout.trim() !== oldInv) {
          killedAt = Date.now();
          ac.abort();
        }
      });
    }, 100);
    const r = await runCli('deploy/deploy.ts', deployArgs(build, ['--proof-timeout', '60s', '--revert-window', '6s', '--lock-ttl', '5s']), { kill: ac.signal });
    clearInterval(watcher);
    expect(r.code).toBeNull();
    expect(killedAt).toBeGreaterThan(0);
    let healedMs = -1;
    for (let i = 0; i < 80 && healedMs < 0; i += 1) {
      await new Promise((res) => setTimeout(res, 500));
      if ((await releaseRecords(vps)).at(-1)?.status === 'reverted') healedMs = Date.now() - killedAt;
    }
    console.log(`[measure] host timer healed ${healedMs} ms after the kill`);
    expect(healedMs).toBeGreaterThan(0);
    await expectHostAtVerified(vps, before);
    for (let i = 0; i < 40; i += 1) {
      if ((await vps.exec(['systemctl', 'is-active', vps.unit])).stdout.trim() === 'active') break;
      await new Promise((res) => setTimeout(res, 250));
    }
    expect((await vps.exec(['systemctl', 'is-active', vps.unit])).stdout.trim()).toBe('active');
    // The killed deploy left its lock naming a pid that is dead on this machine: the next deploy takes it over.
    const next = await runCli('deploy/deploy.ts', deployArgs(await makeBuild('after-kill'), ['--proof-timeout', '90s']));
    expect(next.code, next.stderr).toBe(0);
    expect(evOf(next.stdout).hosts[0]?.steps.find((s) => s.name === 'lock')?.detail).toMatch(/took over the lock of .* pid \d+: pid \d+ is not running/);
  }, 240_000);
});
