// @module-tag e2e
// @module-tag vps
import { afterAll, beforeAll, expect, it } from 'vitest';
import { describeVps } from '../testing/vps-vitest.ts';
import { bootVps } from '../testing/boot-vps.ts';
import { sudoCommands } from '../testing/sudoers-rules.ts';
import type { Vps } from '../testing/vps-handle.ts';
import { expectHostAtVerified, hostArgs, makeBuild, releaseRecords, runCli, writeEnvFile } from './e2e-support.ts';

// Root logs in with the same client key; `deploy` gets only the three scoped sudoers lines (no shell), so
// setup must run as root, and the app dir must be handed to `deploy` for its later deploys to work.
describeVps('the hosts people have: root login, then a scoped deploy user', () => {
  let vps: Vps;
  beforeAll(async () => {
    vps = await bootVps({ rootLogin: true, sudoCommands: sudoCommands({ unit: 'leakproof.service' }) });
  }, 120_000);
  afterAll(async () => {
    await vps?.stop();
  });
  const as = (user: string) => hostArgs(vps).map((a) => (a === `${vps.user}@${vps.ip}` ? `${user}@${vps.ip}` : a));
  const deploy = async (user: string, marker: string) => runCli('deploy/deploy.ts', ['--skip-qa', ...as(user), '--root', await makeBuild(marker), '--grace', '1s', '--proof-timeout', '45s', '--json']);
  const lastVerified = async () => (await releaseRecords(vps)).filter((x) => x.status === 'verified').at(-1)!.id;

  it('setup as root creates the service user, hands the app dir to deploy, and never runs the service as root', async () => {
    const build = await makeBuild('root-setup');
    const env = await writeEnvFile(build, { LEAKPROOF_HTTP_PORT: '0' });
    const r = await runCli('deploy/deploy.ts', ['setup', ...as('root'), '--deploy-user', 'deploy', '--exchange', 'sim', '--root', build, '--skip-qa', '--grace', '1s', '--env-file', env], { timeoutMs: 240_000 });
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toMatch(/deploy ALL=\(root\) NOPASSWD: \/usr\/bin\/systemctl restart leakproof.service/);
    expect((await vps.execOk(['systemctl', 'show', '-p', 'User', '--value', vps.unit])).trim()).toBe('leakproof');
    expect((await vps.execOk(['sh', '-c', 'ps -o user= -p "$(systemctl show -p MainPID --value leakproof.service)"'])).trim()).toBe('leakproof');
    expect(await vps.execOk(['getent', 'passwd', 'leakproof'])).toMatch(/:\/usr\/sbin\/nologin$/m);
    expect((await vps.execOk(['stat', '-c', '%U %a', vps.appDir, `${vps.appDir}/backups`, `${vps.appDir}/dist/leakproof.mjs`])).split('\n')).toEqual(['deploy 755', 'deploy 700', 'deploy 644', '']);
    await expectHostAtVerified(vps, await lastVerified());
  }, 300_000);

  it('a root login deploys with no sudo at all, and leaves nothing root-owned in the app dir', async () => {
    await vps.execOk(['sh', '-c', 'mv /usr/bin/sudo /usr/bin/sudo.off']);
    try {
      const r = await deploy('root', 'as-root');
      expect(r.code, r.stderr).toBe(0);
    } finally {
      await vps.execOk(['sh', '-c', 'mv /usr/bin/sudo.off /usr/bin/sudo']);
    }
    expect((await vps.execOk(['find', vps.appDir, '-user', 'root'])).trim()).toBe('');
    await expectHostAtVerified(vps, await lastVerified());
  }, 120_000);

  it('then the scoped deploy user deploys (exact sudoers lines, checked one by one with sudo -n -l)', async () => {
    const r = await deploy('deploy', 'as-deploy');
    expect(r.code, r.stderr).toBe(0);
    await expectHostAtVerified(vps, await lastVerified());
    expect((await releaseRecords(vps)).filter((x) => x.status === 'verified')).toHaveLength(3);
  }, 120_000);

  it('a scoped user missing one line is refused at preflight, naming exactly that command (exit 2)', async () => {
    const lines = sudoCommands({ unit: vps.unit }).filter((c) => !c.endsWith('systemctl stop leakproof-revert.timer')).map((c) => `deploy ALL=(root) NOPASSWD: ${c}\n`).join('');
    await vps.execOk(['sh', '-c', 'printf %s "$1" > /etc/sudoers.d/leakproof-vps', 'sh', lines]);
    const r = await deploy('deploy', 'missing-line');
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/sudo does not allow: \/usr\/bin\/systemctl stop leakproof-revert\.timer \(/);
  }, 60_000);
});
