// @module-tag e2e
// @module-tag vps
import { existsSync } from 'node:fs';
import { expect, it } from 'vitest';
import { describeVps, useVps } from './vps-vitest.ts';
import { installUnit, simpleServiceUnit, waitInGuest } from './guest-units.ts';
import { mountsUnder } from './guest-rootfs.ts';
import { runCommand } from './run-command.ts';
import { shQuote } from '../remote/sh-quote.ts';
import { sudoCommands } from './sudoers-rules.ts';
import { bootVps } from './boot-vps.ts';

const ODD_APP_DIR = `/srv/it's a $(touch PWNED) "dir"`;

describeVps('bootVps: a real systemd guest with sshd, sudo and journald', () => {
  const vps = useVps({ appDir: ODD_APP_DIR });

  it('logs in as deploy with the real ssh client and the pinned host key', async () => {
    const r = await vps().ssh('id -un; id -Gn; hostname');
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const [user, groups, host] = r.stdout.trim().split('\n');
    expect(user).toBe('deploy');
    expect(groups?.split(' ')).toContain('systemd-journal');
    expect(host).toBe(vps().name);
    expect(vps().ip).toMatch(/^10\.200\.\d+\.2$/);
  });

  it('grants sudo for exactly the listed commands and nothing else', async () => {
    const r = await vps().ssh('sudo -n -l');
    expect(r.code).toBe(0);
    const granted = r.stdout.split('\n').filter((l) => l.includes('NOPASSWD:')).map((l) => l.split('NOPASSWD: ')[1]?.trim());
    expect(granted).toEqual(sudoCommands({ unit: 'leakproof.service' }));
    const other = await vps().ssh('sudo -n /usr/bin/systemctl restart ssh.service');
    expect(other.code).not.toBe(0);
    expect(other.stderr).toMatch(/a password is required|not allowed/);
  });

  it('refuses root over ssh by default', async () => {
    const args = vps().sshArgs();
    const r = await runCommand([...args.slice(0, -1), `root@${vps().ip}`, '--', 'true']);
    expect(r.code).toBe(255);
    expect(r.stderr).toMatch(/Permission denied/);
  });

  it('refuses a host key other than the pinned one', async () => {
    const wrong = `${vps().rootDir}/../wrong_known_hosts`;
    await runCommand(['sh', '-c', `echo "${vps().ip} ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIOMqqnkVzrm0SdG6UOoqKLsabgH5C9okWi0dh2l9GKJl" > "$1"`, 'sh', wrong]);
    const r = await vps().ssh('true', { knownHostsFile: wrong });
    expect(r.code).toBe(255);
    expect(r.stderr).toMatch(/Host key verification failed|HOST IDENTIFICATION HAS CHANGED/);
  });

  it('reports the host key fingerprint exactly as ssh-keygen computes it', async () => {
    const r = await runCommand(['ssh-keygen', '-lf', vps().knownHostsFile]);
    expect(r.stdout.split(' ')[1]).toBe(vps().hostKeyFingerprint);
  });

  it('creates the app dir owned by deploy, even with quotes, spaces and $(...) in its path', async () => {
    const owner = await vps().execOk(['stat', '-c', '%U', '--', ODD_APP_DIR]);
    expect(owner.trim()).toBe('deploy');
    expect(await vps().exec('ls /srv/PWNED /PWNED 2>/dev/null')).toMatchObject({ stdout: '' });
    const write = await vps().ssh(`printf hello > "$(printf %s ${shQuote(ODD_APP_DIR)})/f"`);
    expect(write.code).toBe(0);
    expect(await vps().fileSha256(`${ODD_APP_DIR}/f`)).toBe('2cf24dba5fb0a30e26e83b2ac5b9e29e1b161e5c1fa7425e73043362938b9824');
    expect(await vps().fileSha256(`${ODD_APP_DIR}/missing`)).toBeUndefined();
  });

  it('runs a real unit whose lines deploy can read from journald', async () => {
    const marker = `marker-${Date.now()}`;
    await installUnit(vps(), 'leakproof.service', simpleServiceUnit({ description: 'test', execStart: `/bin/sh -c 'echo ${marker}; exec sleep 600'`, user: 'deploy' }));
    const restart = await vps().ssh('sudo -n /usr/bin/systemctl restart leakproof.service && systemctl is-active leakproof.service');
    expect(restart.stdout.trim()).toBe('active');
    expect(await waitInGuest(vps(), `journalctl -u leakproof.service -g ${marker} -q --no-pager | grep -q .`, { timeoutMs: 5_000 })).toBe(true);
    const entries = await vps().journal({ unit: 'leakproof.service', grep: marker, asUser: true });
    expect(entries.map((e) => e.message)).toEqual([marker]);
    expect(entries[0]?.invocationId).toMatch(/^[0-9a-f]{32}$/);
    const viaSsh = await vps().ssh(`journalctl -u leakproof.service --no-pager -q -o cat -g ${marker}`);
    expect(viaSsh.stdout.trim()).toBe(marker);
  });
});

describeVps('bootVps: options and teardown', () => {
  it('rootLogin lets root in with the same key (for setup tests); the default refuses root', async () => {
    const vps = await bootVps({ rootLogin: true, unit: 'app-x.service' });
    try {
      const args = vps.sshArgs();
      const asRoot = await runCommand([...args.slice(0, -1), `root@${vps.ip}`, '--', 'id -u']);
      expect(asRoot.stdout.trim()).toBe('0');
      expect((await vps.ssh('id -un')).stdout.trim()).toBe('deploy');
      const sudo = await vps.ssh('sudo -n -l');
      expect(sudo.stdout).toContain('/usr/bin/systemctl restart app-x.service');
      expect(sudo.stdout).toContain('/usr/bin/systemctl start app-x-revert.timer');
    } finally {
      await vps.stop();
    }
  });

  it('leaves no process, netns, veth, mount or state dir behind', async () => {
    const vps = await bootVps();
    const stateDir = `/run/leakproof-vps/vps-${vps.index}`;
    expect(existsSync(`/run/netns/${vps.netns}`)).toBe(true);
    expect((await mountsUnder(stateDir)).length).toBe(2);
    const result = await vps.stop();
    expect(result).toMatchObject({ ok: true, leftovers: [] });
    expect(existsSync(`/proc/${vps.nspawnPid}`)).toBe(false);
    expect(existsSync(`/proc/${vps.leaderPid}`)).toBe(false);
    expect(existsSync(`/run/netns/${vps.netns}`)).toBe(false);
    expect((await runCommand(['ip', 'link', 'show', vps.hostVeth])).code).not.toBe(0);
    expect(await mountsUnder(stateDir)).toEqual([]);
    expect(existsSync(stateDir)).toBe(false);
    expect(await vps.stop()).toBe(result);
  });

  it('tears down a guest that misses its boot deadline, leaving nothing', async () => {
    await expect(bootVps({ index: 249, bootTimeoutMs: 1 })).rejects.toThrow(/bootVps lp-vps249: guest lp-vps249: systemd did not reach running/);
    expect(existsSync('/run/leakproof-vps/vps-249')).toBe(false);
    expect(existsSync('/run/netns/lp-vps249')).toBe(false);
    expect((await runCommand(['ip', 'link', 'show', 'lpv249'])).code).not.toBe(0);
    expect(await mountsUnder('/run/leakproof-vps/vps-249')).toEqual([]);
  });

  it('terminates a guest that does not halt in time', async () => {
    const vps = await bootVps();
    const result = await vps.stop({ gracefulMs: 0 });
    expect(result.ok).toBe(true);
    expect(['terminated', 'killed']).toContain(result.stoppedBy);
    expect(existsSync(`/proc/${vps.leaderPid}`)).toBe(false);
  });

  it('fails with a clear error on a bad option and leaves nothing claimed', async () => {
    await expect(bootVps({ index: 250, appDir: 'relative/dir' })).rejects.toThrow(/appDir: must be a normalized absolute path/);
    expect(existsSync('/run/leakproof-vps/vps-250')).toBe(false);
    await expect(bootVps({ name: 'evil; rm -rf /' })).rejects.toThrow(/vps name: must match/);
  });
});
