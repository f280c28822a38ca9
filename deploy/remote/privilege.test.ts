// @module-tag e2e
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { asRoot, deniedCommands, sudoDenials } from './privilege.ts';

describe('root or sudo', () => {
  it('root runs the exact words itself, anyone else through sudo -n with the same words', () => {
    expect(asRoot('/usr/bin/systemctl', 'restart', 'a b.service')).toBe(`if [ "$(id -u)" = 0 ]; then /usr/bin/systemctl restart 'a b.service'; else sudo -n /usr/bin/systemctl restart 'a b.service'; fi`);
  });
  it('runs in sh: root is asked nothing, another user gets the index of each command sudo refuses', async () => {
    // A fake `id` and `sudo` first on PATH: this sudo allows restarts only, the way a scoped sudoers file would.
    const bin = await mkdtemp(join(tmpdir(), 'lp-priv-'));
    await writeFile(join(bin, 'id'), '#!/bin/sh\necho "$FAKE_UID"\n', { mode: 0o755 });
    await writeFile(join(bin, 'sudo'), '#!/bin/sh\necho "$*" >> "$0.log"\ncase "$*" in *restart*) exit 0 ;; *) exit 1 ;; esac\n', { mode: 0o755 });
    const cmds = [['/usr/bin/systemctl', 'restart', 'x.service'], ['/usr/bin/systemctl', 'stop', 'x-revert.timer']];
    const run = (uid: string) => spawnSync('sh', ['-c', sudoDenials(cmds)], { encoding: 'utf8', env: { ...process.env, PATH: `${bin}:${process.env.PATH ?? ''}`, FAKE_UID: uid } });
    try {
      expect(run('0').stdout).toBe('');
      expect(existsSync(join(bin, 'sudo.log'))).toBe(false);
      expect(run('1000').stdout).toBe('1\n');
      expect(await readFile(join(bin, 'sudo.log'), 'utf8')).toBe('-n -l /usr/bin/systemctl restart x.service\n-n -l /usr/bin/systemctl stop x-revert.timer\n');
    } finally {
      await rm(bin, { recursive: true, force: true });
    }
  });
  it('asks sudo -n -l about each exact command and reads back the refused ones by index', () => {
    const cmds = [['/usr/bin/systemctl', 'restart', 'x.service'], ['/usr/bin/systemctl', 'stop', 'x-revert.timer']];
    expect(sudoDenials(cmds)).toContain('sudo -n -l /usr/bin/systemctl stop x-revert.timer >/dev/null 2>&1 || echo 1');
    expect(deniedCommands(cmds, '1\n')).toEqual([cmds[1]]);
    expect(deniedCommands(cmds, 'sudo: a password is required\n')).toEqual([]);
  });
});
