// @module-tag e2e
import { execFileSync } from 'node:child_process';
import { mkdir, mkdtemp, writeFile } from 'node:fs/promises';
import { createServer, type Server, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli, stubBuildRoot } from '../e2e/e2e-support.ts';

/** A real TCP server on loopback: `silent` accepts and never speaks; `http` answers like a web server. */
function listen(onConn: (s: Socket) => void): Promise<{ server: Server; port: number }> {
  return new Promise((res) => {
    const server = createServer(onConn).listen(0, '127.0.0.1', () => {
      const addr = server.address();
      res({ server, port: typeof addr === 'object' && addr ? addr.port : 0 });
    });
  });
}

/** A port nothing listens on: bound, read, then closed. */
async function closedPort(): Promise<number> {
  const { server, port } = await listen(() => undefined);
  await new Promise((r) => server.close(r));
  return port;
}

const HOST_KEY_WORDS = /host key|known_hosts|accept-new/i;

describe.concurrent('connection failures on loopback: each its own line, exit 2, before any host is touched', () => {
  let dir: string;
  let root: string;
  let silent: { server: Server; port: number };
  let http: { server: Server; port: number };
  let hangUp: { server: Server; port: number };
  let hangUps = 0;
  let refused: number;
  let home: string;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'lp-conn-'));
    root = await stubBuildRoot(join(dir, 'root'));
    // An empty HOME: no default keys, no ~/.ssh/config, and no agent, so each case isolates one cause.
    home = join(dir, 'home');
    await mkdir(home);
    await writeFile(join(dir, 'junk'), 'this is not a key\n');
    execFileSync('ssh-keygen', ['-q', '-t', 'ed25519', '-N', 'right-pass', '-f', join(dir, 'enc')]);
    await writeFile(join(dir, 'kh'), '');
    silent = await listen(() => undefined);
    http = await listen((s) => s.end('HTTP/1.1 400 Bad Request\r\n\r\n'));
    // What a busy sshd does past MaxStartups or LoginGraceTime: a banner, then a hang-up mid-handshake.
    hangUp = await listen((s) => {
      hangUps++;
      s.write('SSH-2.0-OpenSSH_9.2\r\n');
      s.once('data', () => s.end());
    });
    refused = await closedPort();
  });
  afterAll(() => {
    silent.server.close();
    http.server.close();
    hangUp.server.close();
  });

  const env = () => ({ HOME: home, SSH_AUTH_SOCK: '', LP_PASS: 'wrong-pass' });
  const list = (host: string, extra: string[] = []) =>
    runCli('rollback/rollback.ts', ['--list', '--host', host, '--known-hosts', join(dir, 'kh'), '--connect-timeout', '2s', ...extra], { env: env() });

  it.each([
    ['a name that does not resolve', () => 'deploy@nonexistent.invalid', [], /nonexistent\.invalid:22: name does not resolve \(ENOTFOUND\)/],
    ['a refused port', () => `deploy@127.0.0.1:${refused}`, [], /127\.0\.0\.1:\d+: connection refused/],
    ['a port that accepts and never speaks', () => `deploy@127.0.0.1:${silent.port}`, [], /no SSH banner \(nothing within 2000 ms\): is this an SSH port\?/],
    ['a port that speaks HTTP', () => `deploy@127.0.0.1:${http.port}`, [], /no SSH banner \(it sent "HTTP\/1\.1 400/],
    ['an --identity that is not a key', () => `deploy@127.0.0.1:${silent.port}`, ['--identity', 'JUNK'], /identity \S+junk is not a private key/],
    ['an --identity that is a public key', () => `deploy@127.0.0.1:${silent.port}`, ['--identity', 'ENC.pub'], /identity \S+enc\.pub is a public key/],
    ['an encrypted key without a passphrase', () => `deploy@127.0.0.1:${silent.port}`, ['--identity', 'ENC'], /identity \S+enc is encrypted: give --passphrase-env/],
    ['a wrong passphrase', () => `deploy@127.0.0.1:${silent.port}`, ['--identity', 'ENC', '--passphrase-env', 'LP_PASS'], /identity \S+enc: wrong passphrase/],
    ['a mistyped --known-hosts', () => `deploy@127.0.0.1:${silent.port}`, ['--known-hosts', 'MISSING'], /known_hosts \S+kh-typo: no such file \(mistyped --known-hosts\?\)/],
  ])('%s', async (_what, host, extra, line) => {
    const args = extra.map((a) => a.replace('JUNK', join(dir, 'junk')).replace('ENC', join(dir, 'enc')).replace('MISSING', join(dir, 'kh-typo')));
    const r = await list(host(), args);
    expect(r.code, r.stderr).toBe(2);
    const lines = r.stderr.trim().split('\n');
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(line);
    if (!/known-hosts/.test(extra.join(' '))) expect(lines[0]).not.toMatch(HOST_KEY_WORDS);
    expect(r.stderr).not.toMatch(/right-pass|wrong-pass|\n\s+at /);
  }, 120_000);

  it('a server that hangs up mid-handshake is tried three times, and named for what it did', async () => {
    const r = await list(`deploy@127.0.0.1:${hangUp.port}`);
    expect(r.code, r.stderr).toBe(2);
    expect(r.stderr.trim()).toMatch(/127\.0\.0\.1:\d+: the server closed the connection during the SSH handshake, before authentication .*\(3 attempts\)$/);
    expect(r.stderr).not.toMatch(/No response from server|timed out/);
    expect(hangUps).toBe(3);
  }, 120_000);

  it('rollback --list --json to an unreachable host prints an error object, not {}', async () => {
    const r = await list(`deploy@127.0.0.1:${refused}`, ['--json']);
    expect(r.code).toBe(2);
    expect(JSON.parse(r.stdout)).toEqual({ [`deploy@127.0.0.1:${refused}`]: { error: expect.stringMatching(/connection refused/) } });
  }, 120_000);

  it('deploy to a refused host exits 2 and says so in its host line', async () => {
    const r = await runCli('deploy/deploy.ts', ['--host', `deploy@127.0.0.1:${refused}`, '--known-hosts', join(dir, 'kh'), '--root', root, '--skip-qa', '--connect-timeout', '2s'], { env: env() });
    expect(r.code, r.stderr).toBe(2);
    expect(r.stderr).toMatch(new RegExp(`✘ deploy@127\\.0\\.0\\.1:${refused}: unchanged — 127\\.0\\.0\\.1:${refused}: connection refused`));
    expect(r.stderr).not.toMatch(HOST_KEY_WORDS);
  }, 120_000);

  it('a fleet whose second host is unreachable exits 2 before touching the first', async () => {
    const r = await runCli('deploy/deploy.ts', ['--host', `deploy@127.0.0.1:${silent.port}`, '--host', 'deploy@nonexistent.invalid', '--known-hosts', join(dir, 'kh'), '--root', root, '--skip-qa', '--connect-timeout', '2s'], { env: env() });
    expect(r.code, r.stderr).toBe(2);
    expect(r.stderr).toMatch(/nonexistent\.invalid: unchanged — nonexistent\.invalid:22: name does not resolve/);
    expect(r.stderr).toMatch(/127\.0\.0\.1:\d+: unchanged — .*no SSH banner/);
  }, 120_000);

  it('a ProxyJump chain is refused with a clear line, not ignored', async () => {
    const cfg = join(dir, 'ssh_config');
    await writeFile(cfg, `Host lp-chain\n  HostName 127.0.0.1\n  ProxyJump a@127.0.0.1:${refused},b@127.0.0.1:${refused}\n`);
    const r = await list('lp-chain', ['--ssh-config', cfg]);
    expect(r.code).toBe(2);
    expect(r.stderr.trim()).toMatch(/^rollback: lp-chain: ProxyJump .*several hops are not supported yet/);
  }, 120_000);
});
