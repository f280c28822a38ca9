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

  it('setup installs deps, unit and revert timer, and proves the first release', async () => {
    const env = await writeEnvFile(good1, { LEAKPROOF_HTTP_PORT: '0' });
    const r = await runCli('deploy/deploy.ts', ['setup', ...hostArgs(vps), '--root', good1, '--skip-qa', '--grace', '1s', '--env-file', env, '--json'], { timeoutMs: 240_000 });
    expect(r.stderr).toMatch(/deploy ALL=\(root\) NOPASSWD: \/usr\/bin\/systemctl restart leakproof.service/);
    expect(r.code, r.stderr).toBe(0);
    const ev = JSON.parse(r.stdout) as { hosts: { logProof: { line: string } | null }[] };
    expect(ev.hosts[0]?.logProof?.line).toMatch(/Startup cleanup complete/);
    await tightenSudo(vps);
    const recs = await releaseRecords(vps);
    expect(recs.map((x) => x.status)).toEqual(['verified']);
    await expectHostAtVerified(vps, recs[0]!.id);
    expect(await vps.execOk(['stat', '-c', '%a %U', `${vps.appDir}/backups`])).toBe('700 deploy\n');
  }, 300_000);
});
