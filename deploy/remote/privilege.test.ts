// @module-tag e2e
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { asRoot, deniedCommands, onlyAsRoot, rootOr, sudoDenials, unlessRoot } from './privilege.ts';

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

describe('the one root test', () => {
  it('picks the branch by the login in sh, with the exit codes a caller chains on', async () => {
    const bin = await mkdtemp(join(tmpdir(), 'lp-priv-'));
    await writeFile(join(bin, 'id'), '#!/bin/sh\necho "$FAKE_UID"\n', { mode: 0o755 });
    const run = (line: string, uid: string) => {
      const r = spawnSync('sh', ['-c', line], { encoding: 'utf8', env: { ...process.env, PATH: `${bin}:${process.env.PATH ?? ''}`, FAKE_UID: uid } });
      return `${r.stdout.trim()}:${r.status}`;
    };
    try {
      for (const [uid, who] of [['0', 'root'], ['1000', 'user']] as const) {
        expect(run(rootOr('echo root', 'echo user'), uid)).toBe(`${who}:0`);
        expect(run(unlessRoot('echo checked; false'), uid)).toBe(who === 'root' ? ':0' : 'checked:1');
        expect(run(onlyAsRoot('echo did; false'), uid)).toBe(who === 'root' ? 'did:1' : ':0');
      }
    } finally {
      await rm(bin, { recursive: true, force: true });
    }
  });

  it('is spelled nowhere else in deploy/ and rollback/', async () => {
    const root = join(import.meta.dirname, '../..');
    const offenders: string[] = [];
    for (const dir of ['deploy', 'rollback']) {
      for (const rel of await readdir(join(root, dir), { recursive: true })) {
        if (!rel.endsWith('.ts') || rel.endsWith('.test.ts') || rel.endsWith('privilege.ts')) continue;
        if (/"\$\(id -u\)"/.test(await readFile(join(root, dir, rel), 'utf8'))) offenders.push(`${dir}/${rel}`);
      }
    }
    expect(offenders).toEqual([]);
  });
});
