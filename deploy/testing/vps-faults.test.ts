// @module-tag e2e
// @module-tag vps
import { spawn } from 'node:child_process';
import { expect, it } from 'vitest';
import { describeVps, useVps } from './vps-vitest.ts';
import { canConnect } from './guest-wait.ts';
import { dropPackets, linkDown, randomDrop, resetConnections, slowLink } from './network-faults.ts';
import { changeHostKey, denyWrite, fullDisk, killSshSessions } from './guest-faults.ts';
import { waitInGuest, writeGuestFile } from './guest-units.ts';
import { runCommand } from './run-command.ts';

const APP = '/srv/leakproof';

describeVps('VPS faults: each one really breaks the thing it names, and undo() heals it', () => {
  const vps = useVps();

  it('killSshSessions drops a live session and leaves the listener up', async () => {
    const session = spawn(vps().sshArgs()[0] ?? 'ssh', [...vps().sshArgs().slice(1), '--', 'sleep 30'], { stdio: 'ignore' });
    const exited = new Promise<number | null>((res) => session.once('exit', (code) => res(code)));
    expect(await waitInGuest(vps(), `pgrep -f '^sshd: ${vps().user}'`, { timeoutMs: 5_000 })).toBe(true);
    const killed = await killSshSessions(vps());
    expect(killed.length).toBeGreaterThan(0);
    const code = await Promise.race([exited, new Promise((res) => setTimeout(() => res('hung'), 5_000))]);
    session.kill('SIGKILL');
    expect(code).toBe(255);
    expect((await vps().ssh('true')).code).toBe(0);
  });

  it('dropPackets makes a connect time out', async () => {
    const fault = await dropPackets(vps());
    const r = await vps().ssh('true', { options: ['ConnectTimeout=1'] });
    await fault.undo();
    expect(r.code).toBe(255);
    expect(r.stderr).toMatch(/timed out/);
    expect(r.durationMs).toBeLessThan(4_000);
    expect(await canConnect(vps().ip, 22, 2_000)).toBe(true);
  });

  it('resetConnections refuses at once', async () => {
    const fault = await resetConnections(vps());
    const r = await vps().ssh('true');
    await fault.undo();
    expect(r.code).toBe(255);
    expect(r.stderr).toMatch(/Connection refused/);
    expect(r.durationMs).toBeLessThan(3_000);
    expect((await vps().ssh('true')).code).toBe(0);
  });

  it('randomDrop loses some connects and not others', async () => {
    const fault = await randomDrop(vps(), 0.5);
    const results: boolean[] = [];
    for (let i = 0; i < 24; i++) results.push(await canConnect(vps().ip, 22, 300));
    await fault.undo();
    const ok = results.filter(Boolean).length;
    // With p = 0.5 a SYN is lost half the time (retransmits come after 1 s, past the 300 ms bound).
    expect(ok).toBeGreaterThan(0);
    expect(ok).toBeLessThan(results.length);
  });

  it('linkDown cuts the guest off until undo', async () => {
    const fault = await linkDown(vps());
    const during = await canConnect(vps().ip, 22, 500);
    await fault.undo();
    expect(during).toBe(false);
    expect((await vps().ssh('true')).code).toBe(0);
  });

  it('slowLink throttles an upload with htb', async () => {
    const payload = Buffer.alloc(64 * 1024, 7);
    const fast = await vps().ssh('cat > /dev/null', { input: payload });
    const fault = await slowLink(vps(), 128);
    const slow = await vps().ssh('cat > /dev/null', { input: payload });
    const stats = await runCommand(['tc', '-s', 'class', 'show', 'dev', vps().hostVeth]);
    await fault.undo();
    expect(fast.code).toBe(0);
    expect(slow.code).toBe(0);
    // 64 KiB at 128 kbit/s needs about 4.1 s, whatever the load; and the bytes really went through htb.
    expect(slow.durationMs).toBeGreaterThan(3_000);
    expect(Number(/Sent (\d+) bytes/.exec(stats.stdout)?.[1] ?? 0)).toBeGreaterThan(payload.length);
    expect((await runCommand(['tc', 'class', 'show', 'dev', vps().hostVeth])).stdout).toBe('');
  });

  it('fullDisk fails writes with ENOSPC and keeps what was there and what fit', async () => {
    await writeGuestFile(vps(), `${APP}/before.txt`, 'before\n', { owner: 'deploy:deploy' });
    const before = await vps().fileSha256(`${APP}/before.txt`);
    const fault = await fullDisk(vps(), APP, { freeBytes: 8192 });
    const small = await vps().ssh(`head -c 4000 /dev/zero > ${APP}/small.bin`);
    const big = await vps().ssh(`head -c 200000 /dev/zero > ${APP}/big.bin`);
    const seenDuring = await vps().fileSha256(`${APP}/before.txt`);
    await fault.undo();
    expect(small.code).toBe(0);
    expect(big.code).not.toBe(0);
    expect(big.stderr).toMatch(/No space left on device/);
    expect(seenDuring).toBe(before);
    expect(await vps().fileSha256(`${APP}/before.txt`)).toBe(before);
    expect(await vps().fileSha256(`${APP}/small.bin`)).toBeDefined();
    expect((await vps().ssh(`head -c 200000 /dev/zero > ${APP}/big.bin && rm ${APP}/*.bin`)).code).toBe(0);
    expect((await vps().execOk(['findmnt', '-n', APP]).catch(() => '')).trim()).toBe('');
  });

  it('denyWrite: chattr makes even the owner fail, chmod gives EACCES', async () => {
    const immutable = await denyWrite(vps(), APP);
    const r1 = await vps().ssh(`touch ${APP}/x`);
    const r1chmod = await vps().ssh(`chmod u+w ${APP}`);
    await immutable.undo();
    expect(r1.stderr).toMatch(/Operation not permitted/);
    expect(r1chmod.code).not.toBe(0);
    const readonly = await denyWrite(vps(), APP, 'chmod');
    const r2 = await vps().ssh(`touch ${APP}/x`);
    await readonly.undo();
    expect(r2.stderr).toMatch(/Permission denied/);
    expect((await vps().ssh(`touch ${APP}/x && rm ${APP}/x`)).code).toBe(0);
  });

  it('changeHostKey makes the pinned client refuse; the new line lets it in', async () => {
    const newLine = await changeHostKey(vps());
    expect(newLine).not.toBe(vps().knownHostsLine);
    const pinned = await vps().ssh('true');
    expect(pinned.code).toBe(255);
    expect(pinned.stderr).toMatch(/Host key verification failed|HOST IDENTIFICATION HAS CHANGED/);
    const file = `${vps().rootDir}/../new_known_hosts`;
    await runCommand(['sh', '-c', 'printf "%s\\n" "$2" > "$1"', 'sh', file, newLine]);
    expect((await vps().ssh('true', { knownHostsFile: file })).code).toBe(0);
  });
});
