// @module-tag e2e
// @module-tag vps
import { execFileSync, spawn } from 'node:child_process';
import { access, copyFile, mkdir, mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { HOST_TOOL } from '../remote/host-tool.ts';
import { dropPackets } from '../testing/network-faults.ts';
import { readOwner } from '../testing/vps-claim.ts';
import { vpsLayout } from '../testing/vps-layout.ts';
import { describeVps, useVps } from '../testing/vps-vitest.ts';
import { REPO, runCli } from './e2e-support.ts';

const HOST_KEY_WORDS = /host key|known_hosts|accept-new/i;

/**
 * OpenSSH habits and the connection errors only a real sshd can give, on one shared VPS. The host is
 * prepared by hand (host tool + app dir), not by `deploy setup`, since only connecting is under test:
 * `rollback --list` reaching the release list (exit 0) proves the whole connection worked.
 */
describeVps('ssh semantics on a real VPS: ssh_config Include, port 2222, ProxyJump, agent, default keys, host keys', () => {
  const vps = useVps();
  let dir: string;
  let home: string;
  let agent: { pid: number; sock: string } | undefined;
  let ecdsaLine: string;
  beforeAll(async () => {
    const v = vps();
    dir = await mkdtemp(join(tmpdir(), 'lp-sshsem-'));
    home = join(dir, 'empty-home');
    await mkdir(home);
    // sshd also on 2222, with a second (ECDSA) host key, like most real hosts.
    await v.execOk(['ssh-keygen', '-q', '-t', 'ecdsa', '-N', '', '-f', '/etc/ssh/ssh_host_ecdsa_key']);
    await v.execOk(['sh', '-c', 'printf "Port 22\\nPort 2222\\nHostKey /etc/ssh/ssh_host_ecdsa_key\\n" > /etc/ssh/sshd_config.d/01-lp-extra.conf && systemctl restart ssh.service']);
    ecdsaLine = `${v.ip} ${(await v.execOk(['cat', '/etc/ssh/ssh_host_ecdsa_key.pub'])).trim().split(/\s+/).slice(0, 2).join(' ')}\n`;
  }, 120_000);
  afterAll(() => {
    if (agent) process.kill(agent.pid);
  });

  const base = (extra: string[]) => ['--list', '--json', '--connect-timeout', '5s', '--app-dir', vps().appDir, ...extra];
  const run = (args: string[], env: NodeJS.ProcessEnv = {}) => runCli('rollback/rollback.ts', base(args), { env: { HOME: home, SSH_AUTH_SOCK: '', ...env } });
  const direct = () => ['--host', `${vps().user}@${vps().ip}`, '--identity', vps().identityFile, '--known-hosts', vps().knownHostsFile];
  const appDirState = async () => (await vps().execOk(['sh', '-c', 'cd "$1" && find . -printf "%p %s %T@\\n" | sort', 'sh', vps().appDir]));
  const oneLine = (stderr: string) => {
    const lines = stderr.trim().split('\n');
    expect(lines, stderr).toHaveLength(1);
    return lines[0] ?? '';
  };

  it('a host never set up: "not set up: run `npm run deploy -- setup ...`", exit 2, no stack trace', async () => {
    const r = await run(direct());
    expect(r.code, r.stderr).toBe(2);
    expect(oneLine(r.stderr)).toMatch(/not set up: run `npm run deploy -- setup --host deploy@10\.200\.\d+\.2 --exchange <bybit\|sim> --app-dir \/srv\/leakproof` first/);
    expect(r.stderr).not.toMatch(/\n\s+at /);
    // Now prepare it as setup would for what --list reads: the host tool and an empty release list.
    await vps().execOk(['mkdir', '-p', '/usr/local/lib/leakproof']);
    await vps().execOk(['sh', '-c', `cat > ${HOST_TOOL}`], { input: await readFile(join(REPO, 'deploy/host/leakproof-host.mjs')) });
    await vps().execOk(['runuser', '-u', vps().user, '--', 'touch', `${vps().appDir}/releases.jsonl`]);
  }, 120_000);

  it('the baseline connects and lists (exit 0); the VPS records the checkout that booted it', async () => {
    expect((await readOwner(vpsLayout(vps().index)))?.checkout).toBe(REPO);
    const r = await run(direct());
    expect(r.code, r.stderr).toBe(0);
    expect(JSON.parse(r.stdout)).toEqual({ [`${vps().user}@${vps().ip}`]: [] });
  }, 120_000);

  it('a wrong --app-dir says it does not exist / is not an app dir (not "lock held")', async () => {
    const missing = await run([...direct(), '--app-dir', '/srv/nope']);
    expect(missing.code).toBe(2);
    expect(oneLine(missing.stderr)).toMatch(/app dir \/srv\/nope does not exist \(check --app-dir\)/);
    const other = await run([...direct(), '--app-dir', '/etc']);
    expect(other.code).toBe(2);
    expect(oneLine(other.stderr)).toMatch(/\/etc is not a leakproof app dir/);
  }, 120_000);

  // Read-only on the guest, so they share it at once (wall time on a loaded CI machine).
  describe.concurrent('read-only connection cases', () => {
    it('an alias from an ssh_config Include, on port 2222, with User, IdentityFile and UserKnownHostsFile', async () => {
      const v = vps();
      await mkdir(join(dir, 'conf.d'), { recursive: true });
      const kh = join(dir, 'kh-2222');
      await writeFile(kh, v.knownHostsLine.replace(v.ip, `[${v.ip}]:2222`));
      await writeFile(join(dir, 'conf.d', 'lp.conf'), `Host lp-alias\n  HostName ${v.ip}\n  Port 2222\n  User ${v.user}\n  IdentityFile ${v.identityFile}\n  UserKnownHostsFile ${kh}\n`);
      await writeFile(join(dir, 'ssh_config'), `Include ${dir}/conf.d/*.conf\n`);
      const before = await appDirState();
      const r = await run(['--ssh-config', join(dir, 'ssh_config'), '--host', 'lp-alias']);
      expect(r.code, r.stderr).toBe(0);
      expect(JSON.parse(r.stdout)).toEqual({ 'lp-alias': [] });
      expect(await appDirState()).toBe(before);
      }, 120_000);

      it('ProxyJump: through the guest to its own port 2222', async () => {
      const v = vps();
      const kh = join(dir, 'kh-jump');
      await writeFile(kh, `${v.knownHostsLine.trim()}\n${v.knownHostsLine.trim().replace(v.ip, `[${v.ip}]:2222`)}\n`);
      await writeFile(
        join(dir, 'ssh_config_jump'),
        `Host lp-jump\n  HostName ${v.ip}\n  User ${v.user}\n  IdentityFile ${v.identityFile}\nHost lp-behind\n  HostName ${v.ip}\n  Port 2222\n  User ${v.user}\n  IdentityFile ${v.identityFile}\n  ProxyJump lp-jump\n`,
      );
      const r = await run(['--ssh-config', join(dir, 'ssh_config_jump'), '--known-hosts', kh, '--host', 'lp-behind']);
      expect(r.code, r.stderr).toBe(0);
      expect(JSON.parse(r.stdout)).toEqual({ 'lp-behind': [] });
      }, 120_000);

      it('the ssh-agent (SSH_AUTH_SOCK) with no --identity', async () => {
      const sock = join(dir, 'agent.sock');
      const child = spawn('ssh-agent', ['-D', '-a', sock], { stdio: 'ignore' });
      agent = { pid: child.pid ?? 0, sock };
      for (let i = 0; i < 50 && !(await access(sock).then(() => true, () => false)); i++) await new Promise((r) => setTimeout(r, 100));
      execFileSync('ssh-add', ['-q', vps().identityFile], { env: { ...process.env, SSH_AUTH_SOCK: sock } });
      const r = await run(['--host', `${vps().user}@${vps().ip}`, '--known-hosts', vps().knownHostsFile], { SSH_AUTH_SOCK: sock });
      expect(r.code, r.stderr).toBe(0);
      }, 120_000);

      it('the default ~/.ssh/id_ed25519 and ~/.ssh/known_hosts of $HOME', async () => {
      const h = join(dir, 'home-with-keys');
      await mkdir(join(h, '.ssh'), { recursive: true, mode: 0o700 });
      await copyFile(vps().identityFile, join(h, '.ssh', 'id_ed25519'));
      await writeFile(join(h, '.ssh', 'known_hosts'), vps().knownHostsLine);
      const r = await run(['--host', `${vps().user}@${vps().ip}`], { HOME: h });
      expect(r.code, r.stderr).toBe(0);
      }, 120_000);

      it('a known_hosts holding only the ECDSA key connects (no false "CHANGED")', async () => {
      const kh = join(dir, 'kh-ecdsa');
      await writeFile(kh, ecdsaLine);
      const r = await run(['--host', `${vps().user}@${vps().ip}`, '--identity', vps().identityFile, '--known-hosts', kh]);
      expect(r.code, r.stderr).toBe(0);
      }, 120_000);

      it('auth refused: a valid key the host does not accept', async () => {
      const key = join(dir, 'stranger');
      execFileSync('ssh-keygen', ['-q', '-t', 'ed25519', '-N', '', '-f', key]);
      const before = await appDirState();
      const r = await run(['--host', `${vps().user}@${vps().ip}`, '--identity', key, '--known-hosts', vps().knownHostsFile]);
      expect(r.code).toBe(2);
      const line = oneLine(r.stderr);
      expect(line).toMatch(new RegExp(`${vps().ip}:22: authentication refused for user deploy \\(tried \\S+stranger\\)`));
      expect(line).not.toMatch(HOST_KEY_WORDS);
      expect(await appDirState()).toBe(before);
      }, 120_000);

      it('an unknown host key names the fingerprint to compare, and is the only case besides "changed" to speak of host keys', async () => {
      const kh = join(dir, 'kh-empty');
      await writeFile(kh, '');
      const r = await run(['--host', `${vps().user}@${vps().ip}`, '--identity', vps().identityFile, '--known-hosts', kh]);
      expect(r.code).toBe(2);
      expect(oneLine(r.stderr)).toMatch(new RegExp(`${vps().ip.replace(/\./g, '\\.')}: unknown host key ssh-ed25519 ${vps().hostKeyFingerprint.replace(/[+/]/g, '\\$&')} \\(not in \\S+kh-empty\\): compare this fingerprint`));
      expect(await readFile(kh, 'utf8')).toBe('');
      }, 120_000);

      it('a changed host key is refused as CHANGED', async () => {
      const kh = join(dir, 'kh-changed');
      const other = join(dir, 'other-host');
      execFileSync('ssh-keygen', ['-q', '-t', 'ed25519', '-N', '', '-f', other]);
      await writeFile(kh, `${vps().ip} ${(await readFile(`${other}.pub`, 'utf8')).split(' ').slice(0, 2).join(' ')}\n`);
      const before = await appDirState();
      const r = await run(['--host', `${vps().user}@${vps().ip}`, '--identity', vps().identityFile, '--known-hosts', kh]);
      expect(r.code).toBe(2);
      expect(oneLine(r.stderr)).toMatch(/host key CHANGED: the server offered ssh-ed25519 SHA256:\S+, \S+kh-changed pins another; refusing/);
      expect(r.stderr).not.toMatch(/--accept-new-host-key/);
      expect(await appDirState()).toBe(before);
      }, 120_000);
  });

  it('a host that drops packets: TCP connect timed out', async () => {
    const fault = await dropPackets(vps());
    const r = await run(direct()).finally(() => fault.undo());
    expect(r.code).toBe(2);
    const line = oneLine(r.stderr);
    expect(line).toMatch(new RegExp(`${vps().ip}:22: TCP connect timed out after 5000 ms`));
    expect(line).not.toMatch(HOST_KEY_WORDS);
  }, 120_000);
});
