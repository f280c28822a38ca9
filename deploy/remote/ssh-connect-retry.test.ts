// @module-tag e2e
// @module-tag vps
import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { connect, createServer, type Server } from 'node:net';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { describeVps, useVps } from '../testing/vps-vitest.ts';
import { knownHostsName } from '../config/host-spec.ts';
import { loadIdentities } from './identities.ts';
import { connectSsh, type ConnectOptions } from './ssh-connect.ts';
import type { Vps } from '../testing/vps-handle.ts';

/**
 * A loopback relay to the guest's real sshd that hangs up the first `cut` connections right after the
 * banner, as a busy sshd does past MaxStartups: the retry must end in a real, authenticated session.
 */
function relay(target: { host: string; port: number }, cut: number): Promise<{ server: Server; port: number; seen: () => number }> {
  let seen = 0;
  const server = createServer((s) => {
    seen++;
    if (seen <= cut) {
      s.write('SSH-2.0-OpenSSH_9.2\r\n');
      s.once('data', () => s.end());
      return;
    }
    const up = connect(target);
    s.pipe(up).pipe(s);
    up.on('error', () => s.destroy());
    s.on('error', () => up.destroy());
  });
  return new Promise((res) => {
    server.listen(0, '127.0.0.1', () => {
      const addr = server.address();
      res({ server, port: typeof addr === 'object' && addr ? addr.port : 0, seen: () => seen });
    });
  });
}

/** The VPS user's key, offered to `address:port`, which must present the key pinned in `knownHostsFile`. */
async function optionsFor(vps: Vps, address: string, port: number, knownHostsFile: string): Promise<ConnectOptions> {
  const ids = await loadIdentities([vps.identityFile], [], undefined);
  if (!ids.ok) throw new Error(ids.reason);
  return { address, port, user: vps.user, identities: ids.identities, passphrase: undefined, agent: undefined, knownHostsFiles: [knownHostsFile], acceptNewHostKey: false };
}

describeVps('an SSH handshake the server cut short', () => {
  const vps = useVps();
  let r: Awaited<ReturnType<typeof relay>>;
  let knownHosts: string;
  beforeAll(async () => {
    r = await relay({ host: vps().ip, port: 22 }, 2);
    knownHosts = join(await mkdtemp(join(tmpdir(), 'lp-relay-')), 'known_hosts');
    await writeFile(knownHosts, `${knownHostsName('127.0.0.1', r.port)} ${vps().hostKey}\n`, { mode: 0o600 });
  });
  afterAll(() => r?.server.close());

  it('is tried again, and the third attempt is a real session on the pinned key', async () => {
    const c = await connectSsh(await optionsFor(vps(), '127.0.0.1', r.port, knownHosts));
    if (!c.ok) throw new Error(`${c.kind}: ${c.reason}`);
    try {
      expect(r.seen()).toBe(3);
      expect(c.shell.hostKey.verdict).toBe('match');
      expect((await c.shell.exec('id -un')).stdout.trim()).toBe(vps().user);
    } finally {
      c.shell.close();
    }
  }, 60_000);
});

// /run/nologin is what a booting (or shutting-down) systemd host has: sshd's PAM account check turns away
// every user but root after the key exchange.
describeVps('a login the server refuses after the key exchange', () => {
  const vps = useVps();
  const options = () => optionsFor(vps(), vps().ip, 22, vps().knownHostsFile);
  const nologin = (on: boolean) => vps().execOk(on ? ['sh', '-c', 'echo "System is booting up." > /run/nologin'] : ['rm', '-f', '/run/nologin']);

  it('is named for the account check, not the network, after its attempts', async () => {
    await nologin(true);
    try {
      const c = await connectSsh({ ...(await options()), attempts: 2 });
      expect(c.ok).toBe(false);
      if (c.ok) return c.shell.close();
      expect(c.kind).toBe('account');
      expect(c.reason).toMatch(/after the key exchange, before letting deploy in: sshd's account check refused the login \(PAM: \/run\/nologin .*\(2 attempts\)$/);
    } finally {
      await nologin(false);
    }
    expect((await vps().journal({ unit: 'ssh' })).map((e) => e.message).join('\n')).toMatch(/Access denied for user deploy by PAM account configuration/);
  }, 60_000);

  it('lets the user in once the host has finished booting', async () => {
    await nologin(true);
    const lifted = new Promise((res) => setTimeout(res, 500)).then(() => nologin(false));
    const c = await connectSsh(await options());
    await lifted;
    if (!c.ok) throw new Error(`${c.kind}: ${c.reason}`);
    try {
      expect((await c.shell.exec('id -un')).stdout.trim()).toBe(vps().user);
    } finally {
      c.shell.close();
    }
  }, 60_000);
});
