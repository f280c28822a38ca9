// @module-tag e2e
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { NO_SHARDS, shardPlan } from '../config/shard-plan.ts';
import { configPath, renderHostFiles, sudoersLines } from './render-host-files.ts';
import { rootInstallScript } from './setup-host.ts';

const params = { serviceUser: 'leakproof', deployUser: 'deploy', appDir: '/srv/lp 100%', service: 'leakproof', shards: NO_SHARDS, memoryMax: '512M', memoryHigh: '448M' };

describe('the files setup installs', () => {
  it('the unit runs as the service user with the explicit config and the hardening directives', async () => {
    const unit = (await renderHostFiles(params))['/etc/systemd/system/leakproof.service'] ?? '';
    expect(unit).toMatch(/^User=leakproof$/m);
    expect(unit).toMatch(/^WorkingDirectory=\/srv\/lp 100%%$/m);
    expect(unit).toMatch(/^ExecStart=\/usr\/bin\/node --expose-gc dist\/leakproof\.mjs --config \/etc\/leakproof\/leakproof\.json$/m);
    for (const d of ['NoNewPrivileges=yes', 'ProtectSystem=strict', 'ProtectHome=yes', 'PrivateTmp=yes', 'CapabilityBoundingSet=', 'SystemCallFilter=@system-service', 'RestrictAddressFamilies=AF_INET AF_INET6 AF_UNIX', 'MemoryHigh=448M', 'MemoryMax=512M', 'LockPersonality=yes']) {
      expect(unit).toMatch(new RegExp(`^${d.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}$`, 'm'));
    }
    // V8's JIT needs W+X pages: the directive would make node abort.
    expect(unit).not.toMatch(/^MemoryDenyWriteExecute=/m);
  });

  it('the revert script hands root-owned files back and restores as the app dir owner, quoted', async () => {
    const script = (await renderHostFiles(params))['/usr/local/lib/leakproof/revert-leakproof.sh'] ?? '';
    expect(script).toMatch(/^app='\/srv\/lp 100%'$/m);
    expect(script).toMatch(/chown -R --from=0:0 -- "\$owner"/);
    expect(script).toMatch(/runuser -u "\$\(stat -c %U -- "\$app"\)" -- \/usr\/bin\/node \/usr\/local\/lib\/leakproof\/leakproof-host\.mjs revert "\$app"/);
  });

  it('the root part creates a nologin system user and hands the app dir to the deploy user', () => {
    const s = rootInstallScript({ serviceUser: 'leakproof', deployUser: 'deploy', appDir: '/srv/leakproof', service: 'leakproof', shards: NO_SHARDS, installs: [], stage: '/tmp/st' });
    expect(s).toMatch(/id -u leakproof >\/dev\/null 2>&1 \|\| useradd --system --user-group --no-create-home --home-dir \/nonexistent --shell \/usr\/sbin\/nologin leakproof/);
    expect(s).toMatch(/^chown -R -- deploy: \/srv\/leakproof$/m);
    expect(s.split('\n').slice(0, 2)).toEqual(['{', 'set -e']);
  });

  it('the root part cut anywhere (a setup killed while sending it) runs none of it', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'lp-root-script-'));
    const marker = join(dir, 'ran');
    // Only the first install line runs anything here: the cut scripts must not get that far.
    const s = rootInstallScript({ serviceUser: 'leakproof', deployUser: 'deploy', appDir: '/srv/leakproof', service: 'leakproof', shards: NO_SHARDS, installs: [`touch ${marker}`], stage: '/tmp/st' });
    for (const cut of [s.indexOf('useradd'), s.indexOf('touch'), s.length - 2]) {
      const r = spawnSync('sh', ['-s'], { input: s.slice(0, cut), encoding: 'utf8' });
      expect(r.status, `cut at ${cut}`).not.toBe(0);
      expect(r.stderr).toMatch(/end of file unexpected/);
      expect(existsSync(marker)).toBe(false);
    }
    await rm(dir, { recursive: true, force: true });
  });

  it('with shards: the template unit tells each instance its shard, and the instances restart together', async () => {
    const files = await renderHostFiles({ ...params, shards: shardPlan(2) });
    const unit = files['/etc/systemd/system/leakproof@.service'] ?? '';
    expect(files['/etc/systemd/system/leakproof.service']).toBeUndefined();
    expect(unit).toMatch(/^Environment=LEAKPROOF_SHARD_INDEX=%i LEAKPROOF_SHARD_COUNT=2$/m);
    expect(unit).toMatch(/^EnvironmentFile=-\/srv\/lp 100%%\/shard-%i\.env$/m);
    expect(unit).toMatch(/^Description=.*shard %i of 2\)$/m);
    expect(files['/usr/local/lib/leakproof/revert-leakproof.sh']).toMatch(/^ {2}0\) systemctl restart leakproof@0\.service leakproof@1\.service; /m);
    expect(sudoersLines('deploy', 'leakproof', shardPlan(2))[0]).toBe('deploy ALL=(root) NOPASSWD: /usr/bin/systemctl restart leakproof@0.service leakproof@1.service');
    const root = rootInstallScript({ serviceUser: 'leakproof', deployUser: 'deploy', appDir: '/srv/leakproof', service: 'leakproof', shards: shardPlan(2), installs: [], stage: '/tmp/st' });
    expect(root).toMatch(/^systemctl disable --now leakproof\.service 2>\/dev\/null \|\| true$/m);
    expect(root).toMatch(/^systemctl enable leakproof@0\.service leakproof@1\.service$/m);
  });

  it('with some shards of a universe cut across hosts: the count is the whole cut, the units only this host\'s', async () => {
    const shards = shardPlan({ of: 4, run: [3, 1] });
    const files = await renderHostFiles({ ...params, shards });
    expect(files['/etc/systemd/system/leakproof@.service']).toMatch(/^Environment=LEAKPROOF_SHARD_INDEX=%i LEAKPROOF_SHARD_COUNT=4$/m);
    expect(files['/usr/local/lib/leakproof/revert-leakproof.sh']).toMatch(/^ {2}0\) systemctl restart leakproof@1\.service leakproof@3\.service; /m);
    expect(sudoersLines('deploy', 'leakproof', shards)[0]).toBe('deploy ALL=(root) NOPASSWD: /usr/bin/systemctl restart leakproof@1.service leakproof@3.service');
    const root = rootInstallScript({ serviceUser: 'leakproof', deployUser: 'deploy', appDir: '/srv/leakproof', service: 'leakproof', shards, installs: [], stage: '/tmp/st' });
    // Every instance stops first, so a host that ran 0..3 before runs only 1 and 3 after.
    expect(root).toMatch(/^systemctl stop 'leakproof@\*\.service' \|\| true$/m);
    expect(root).toMatch(/^systemctl enable leakproof@1\.service leakproof@3\.service$/m);
  });

  it('the config path and the sudoers lines follow the service name', () => {
    expect(configPath('md.service')).toBe('/etc/leakproof/md.json');
    expect(sudoersLines('deploy', 'md')).toEqual([
      'deploy ALL=(root) NOPASSWD: /usr/bin/systemctl restart md.service',
      'deploy ALL=(root) NOPASSWD: /usr/bin/systemctl start md-revert.timer',
      'deploy ALL=(root) NOPASSWD: /usr/bin/systemctl stop md-revert.timer',
    ]);
  });
});
