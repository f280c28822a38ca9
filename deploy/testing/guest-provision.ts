import { createHash, randomBytes } from 'node:crypto';
import fs from 'node:fs/promises';
import path from 'node:path';
import { mustRun } from './run-command.ts';
import { renderSudoers } from './sudoers-rules.ts';
import { hostPathOf } from './vps-layout.ts';
import type { VpsLayout } from './vps-layout.ts';

export interface ProvisionOptions {
  user: string;
  appDir: string;
  sudoCommands: string[];
  extraMaskedUnits: string[];
  rootLogin: boolean;
}

export interface Provisioned {
  uid: number;
  gid: number;
  identityFile: string;
  knownHostsFile: string;
  /** `ADDR KEYTYPE BASE64`, the exact known_hosts line that pins this guest's host key. */
  knownHostsLine: string;
  hostKey: string;
}

/** Units the host enables that have no business (or no hardware) in a throw-away guest. */
const ALWAYS_MASKED = ['systemd-pstore.service', 'systemd-timesyncd.service', 'getty@tty1.service', 'console-getty.service'];
const KEEP_WANTED = new Set(['ssh.service', 'sshd.service']);

export const HOST_KEY_PATH = '/etc/ssh/ssh_host_ed25519_key';

/** Writes the guest's identity into the overlay before boot, so sshd starts with the final config. */
export async function provisionGuest(l: VpsLayout, o: ProvisionOptions): Promise<Provisioned> {
  const root = l.rootDir;
  await fs.writeFile(hostPathOf(l, '/etc/machine-id'), `${randomBytes(16).toString('hex')}\n`);
  await fs.writeFile(hostPathOf(l, '/etc/hostname'), `${l.name}\n`);
  // sudo resolves its own host name; without this line every sudo call prints a DNS error to stderr.
  await fs.appendFile(hostPathOf(l, '/etc/hosts'), `127.0.1.1 ${l.name}\n`);
  const { uid, gid } = await ensureUser(root, o.user);
  await maskUnits(l, o.extraMaskedUnits);
  const hostKey = await writeHostKey(l);
  await writeSshdConfig(l, o.user, o.rootLogin);
  const client = await writeClientKey(l);
  await authorize(hostPathOf(l, `/home/${o.user}/.ssh`), client, uid, gid);
  // The guest's /root is a private tmpfs (the host's must stay hidden), so root's key lives in /etc/ssh.
  if (o.rootLogin) await authorize(hostPathOf(l, '/etc/ssh/leakproof-root'), client, 0, 0);
  await writeSudoers(l, o.user, o.sudoCommands);
  await dropPamSystemd(l);
  await makeAppDir(l, o.appDir, uid, gid);
  const knownHostsLine = `${l.guestIp} ${hostKey}`;
  const knownHostsFile = path.join(l.clientDir, 'known_hosts');
  await fs.writeFile(knownHostsFile, `${knownHostsLine}\n`, { mode: 0o600 });
  return { uid, gid, identityFile: client, knownHostsFile, knownHostsLine, hostKey };
}

async function ensureUser(root: string, user: string): Promise<{ uid: number; gid: number }> {
  if (!(await findUser(root, user))) {
    await mustRun(['chroot', root, 'useradd', '-m', '-s', '/bin/bash', user]);
  }
  // '*' unlocks the account for sshd's key login without giving it a usable password.
  await mustRun(['chroot', root, 'usermod', '-p', '*', '-a', '-G', 'systemd-journal', user]);
  const found = await findUser(root, user);
  if (!found) throw new Error(`guest user ${user}: useradd succeeded but the user is not in /etc/passwd`);
  return found;
}

async function findUser(root: string, user: string): Promise<{ uid: number; gid: number } | undefined> {
  const passwd = await fs.readFile(path.join(root, 'etc/passwd'), 'utf8');
  const f = passwd.split('\n').find((line) => line.startsWith(`${user}:`))?.split(':');
  return f ? { uid: Number(f[2]), gid: Number(f[3]) } : undefined;
}

async function maskUnits(l: VpsLayout, extra: string[]): Promise<void> {
  const etc = hostPathOf(l, '/etc/systemd/system');
  const wanted: string[] = [];
  for (const dir of await fs.readdir(etc)) {
    if (!dir.endsWith('.wants')) continue;
    wanted.push(...(await fs.readdir(path.join(etc, dir))).filter((u) => !KEEP_WANTED.has(u)));
  }
  for (const unit of new Set([...ALWAYS_MASKED, ...wanted, ...extra])) {
    const link = path.join(etc, unit);
    await fs.rm(link, { force: true });
    await fs.symlink('/dev/null', link);
  }
  // A host where sshd was installed but never enabled (a CI container) still gets a guest with sshd.
  const wants = path.join(etc, 'multi-user.target.wants');
  await fs.mkdir(wants, { recursive: true });
  await fs.rm(path.join(wants, 'ssh.service'), { force: true });
  await fs.symlink('/lib/systemd/system/ssh.service', path.join(wants, 'ssh.service'));
}

async function writeHostKey(l: VpsLayout): Promise<string> {
  const dir = hostPathOf(l, '/etc/ssh');
  for (const f of await fs.readdir(dir)) if (f.startsWith('ssh_host_')) await fs.rm(path.join(dir, f));
  const key = hostPathOf(l, HOST_KEY_PATH);
  await mustRun(['ssh-keygen', '-q', '-t', 'ed25519', '-N', '', '-C', l.name, '-f', key]);
  return publicKeyOf(await fs.readFile(`${key}.pub`, 'utf8'));
}

export function publicKeyOf(pubFile: string): string {
  return pubFile.trim().split(/\s+/).slice(0, 2).join(' ');
}

/** `SHA256:...` exactly as `ssh-keygen -lf` prints it, for clients (ssh2's hostVerifier) that pin a hash. */
export function fingerprintOf(publicKey: string): string {
  const blob = Buffer.from(publicKey.split(' ')[1] ?? '', 'base64');
  return `SHA256:${createHash('sha256').update(blob).digest('base64').replace(/=+$/, '')}`;
}

async function authorize(sshDir: string, clientKey: string, uid: number, gid: number): Promise<void> {
  const file = path.join(sshDir, 'authorized_keys');
  await fs.mkdir(sshDir, { recursive: true, mode: 0o700 });
  await fs.copyFile(`${clientKey}.pub`, file);
  await fs.chmod(file, 0o600);
  for (const p of [sshDir, file]) await fs.chown(p, uid, gid);
}

async function writeSshdConfig(l: VpsLayout, user: string, rootLogin: boolean): Promise<void> {
  // 00- so it wins: sshd keeps the first value it reads for each keyword.
  const conf = [
    `HostKey ${HOST_KEY_PATH}`,
    'PasswordAuthentication no',
    'KbdInteractiveAuthentication no',
    `PermitRootLogin ${rootLogin ? 'prohibit-password' : 'no'}`,
    `AllowUsers ${user}${rootLogin ? ' root' : ''}`,
    'UseDNS no',
    ...(rootLogin ? ['Match User root', '  AuthorizedKeysFile /etc/ssh/leakproof-root/authorized_keys'] : []),
    '',
  ].join('\n');
  await fs.writeFile(hostPathOf(l, '/etc/ssh/sshd_config.d/00-leakproof-vps.conf'), conf);
}

async function writeClientKey(l: VpsLayout): Promise<string> {
  await fs.mkdir(l.clientDir, { recursive: true, mode: 0o700 });
  const key = path.join(l.clientDir, 'id_ed25519');
  await mustRun(['ssh-keygen', '-q', '-t', 'ed25519', '-N', '', '-C', `leakproof-test-${l.name}`, '-f', key]);
  await fs.chmod(key, 0o600);
  return key;
}

/**
 * sshd sessions without logind: in the guests (cgroup v1 hybrid), a user manager stuck in
 * "deactivating (final-sigkill)" after a session ends made every later login wait for pam_systemd's
 * timeout (measured: `ssh true` 65 s, and deploys failing "Keepalive timeout"). Nothing here needs a
 * user session: the journal is read through the systemd-journal group.
 */
async function dropPamSystemd(l: VpsLayout): Promise<void> {
  const file = hostPathOf(l, '/etc/pam.d/common-session');
  const text = await fs.readFile(file, 'utf8').catch(() => undefined);
  if (text !== undefined) await fs.writeFile(file, text.split('\n').filter((line) => !/pam_systemd\.so/.test(line)).join('\n'));
}

async function writeSudoers(l: VpsLayout, user: string, commands: string[]): Promise<void> {
  const file = hostPathOf(l, '/etc/sudoers.d/leakproof-vps');
  await fs.writeFile(file, renderSudoers(user, commands), { mode: 0o440 });
  await mustRun(['visudo', '-c', '-q', '-f', file]);
}

async function makeAppDir(l: VpsLayout, appDir: string, uid: number, gid: number): Promise<void> {
  if (!path.isAbsolute(appDir) || path.normalize(appDir) !== appDir || appDir === '/') {
    throw new Error(`appDir: must be a normalized absolute path below /, got ${JSON.stringify(appDir)}`);
  }
  const dir = hostPathOf(l, appDir);
  await fs.mkdir(dir, { recursive: true, mode: 0o755 });
  await fs.chown(dir, uid, gid);
}
