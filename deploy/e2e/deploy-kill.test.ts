// @module-tag e2e
// @module-tag vps
import { afterAll, beforeAll, expect, it } from 'vitest';
import { bootVps } from '../testing/boot-vps.ts';
import { describeVps } from '../testing/vps-vitest.ts';
import type { Vps } from '../testing/vps-handle.ts';
import { expectHostAtVerified, hostArgs, makeBuild, releaseRecords, runCli, setupOrThrow, writeEnvFile } from './e2e-support.ts';

/** Where the deploy is SIGKILLed (right after this step's progress line), and the release it must heal to. */
const KILL_POINTS = [
  { after: 'lock', heals: 'previous' },
  { after: 'backup', heals: 'previous' },
  { after: 'arm-timer', heals: 'previous' },
  { after: 'upload', heals: 'previous' },
  { after: 'store', heals: 'previous' },
  // The `confirm` call may already be on the wire when the kill lands: either verified release is right.
  { after: 'restart-proof', heals: 'either' },
  { after: 'confirm', heals: 'new' },
  { after: 'stop-timer', heals: 'new' },
] as const;

/**
 * The host's state after a kill, as one line; "inactive active" is healed. "in-flight" while a command the
 * killed deploy had already sent still runs: sshd leaves it running after the client dies (in ssh.service,
 * as the login user), so judging before it ends would miss what it does (it once wrote an empty marker).
 */
const HOST_STATE = `cd "$1" && {
  for p in $(pgrep -u "$2"); do grep -qs ssh.service /proc/$p/cgroup && { echo in-flight; break; }; done
  test -e backups/pending.json && echo pending
  systemctl is-active leakproof-revert.timer; systemctl is-active leakproof.service
  find . -name '*.lp-upload-*' -o -name '*.tmp-*' | grep -q . && echo temps; true; }`;

// A cloud-image style login: `ALL=(ALL) NOPASSWD:ALL`, which preflight must accept through `sudo -n -l CMD`.
describeVps('heal from a kill -9 after every step (NOPASSWD:ALL login, hardened unit)', () => {
  let vps: Vps;
  beforeAll(async () => {
    vps = await bootVps({ sudoCommands: [] });
    await vps.execOk(['sh', '-c', 'printf "deploy ALL=(ALL) NOPASSWD:ALL\\n" > /etc/sudoers.d/leakproof-vps']);
    const build = await makeBuild('kill-base');
    const env = await writeEnvFile(build, { LEAKPROOF_HTTP_PORT: '0' });
    await setupOrThrow([vps], [...hostArgs(vps), '--exchange', 'sim', '--root', build, '--skip-qa', '--grace', '1s', '--env-file', env], 240_000);
  }, 300_000);
  afterAll(async () => {
    await vps?.stop();
  });

  it('the unit runs as the service user with an explicit sim config, and systemd-analyze security rates it ≤ 2.5', async () => {
    const show = await vps.execOk(['systemctl', 'show', '-p', 'User', '-p', 'ExecStart', '-p', 'ActiveState', vps.unit]);
    expect(show).toMatch(/^User=leakproof$/m);
    expect(show).toMatch(/argv\[\]=\/usr\/bin\/node .* --config \/etc\/leakproof\/leakproof\.json /);
    expect(show).toMatch(/^ActiveState=active$/m);
    expect(JSON.parse(await vps.execOk(['cat', '/etc/leakproof/leakproof.json']))).toEqual({ exchange: 'sim' });
    expect((await vps.execOk(['stat', '-c', '%U:%G %a', '/etc/leakproof/leakproof.json'])).trim()).toBe('root:leakproof 640');
    const sec = await vps.execOk(['systemd-analyze', 'security', '--no-pager', vps.unit]);
    const exposure = Number(/Overall exposure level for \S+: ([\d.]+)/.exec(sec)?.[1]);
    console.log(`[measure] systemd-analyze security ${vps.unit}: exposure ${exposure}`);
    expect(exposure).toBeLessThanOrEqual(2.5);
  }, 60_000);

  it('every kill point ends on a verified release with the service active, no temps, within the revert window', async () => {
    const window = 6_000;
    const rows: string[] = [];
    for (const k of KILL_POINTS) {
      const before = (await releaseRecords(vps)).filter((x) => x.status === 'verified').at(-1)!.id;
      const r = await runCli('deploy/deploy.ts', ['--skip-qa', ...hostArgs(vps), '--root', await makeBuild(`kill-${k.after}`), '--grace', '1s', '--proof-timeout', '45s', '--revert-window', `${window / 1000}s`], {
        interrupt: { when: new RegExp(`: ${k.after} ok `), signal: 'SIGKILL' },
        timeoutMs: 240_000,
      });
      expect(r.interruptedAt, `${k.after}: ${r.stderr}`).toBeDefined();
      expect(r.code, k.after).toBeNull();
      let healedMs = -1;
      let state = '';
      let afterKill = '';
      for (let i = 0; i < 120 && healedMs < 0; i += 1) {
        state = (await vps.execOk(['sh', '-c', HOST_STATE, 'sh', vps.appDir, vps.user])).replace(/\n/g, ' ').trim();
        afterKill ||= state;
        if (state === 'inactive active') healedMs = Date.now() - r.interruptedAt!;
        else await new Promise((res) => setTimeout(res, 250));
      }
      expect(healedMs, `${k.after}: host state "${state}"`).toBeGreaterThanOrEqual(0);
      expect(healedMs, k.after).toBeLessThan(window + 20_000);
      const recs = await releaseRecords(vps);
      const current = recs.filter((x) => x.status === 'verified').at(-1)!.id;
      if (k.heals === 'previous') expect(current, k.after).toBe(before);
      if (k.heals === 'new') expect(current, k.after).not.toBe(before);
      await expectHostAtVerified(vps, current);
      const last = recs.at(-1)!;
      console.log(`[measure] kill after ${k.after}: healed in ${healedMs} ms (${last.status} ${last.id})`);
      rows.push(`| ${k.after} | ${afterKill} | ${current !== before ? 'new release verified' : last.status === 'reverted' ? 'reverted to the previous verified release' : 'unchanged (nothing went live)'} | ${healedMs} ms |`);
    }
    console.log(`[measure] kill -9 points (revert window ${window} ms):\n| killed after | host right after the kill (in-flight, pending, timer, service) | healed to | time to heal |\n|---|---|---|---|\n${rows.join('\n')}`);
    // The last kill left its lock behind: a deploy now takes it over (its pid is dead here) and succeeds.
    const next = await runCli('deploy/deploy.ts', ['--skip-qa', ...hostArgs(vps), '--root', await makeBuild('after-kills'), '--grace', '1s', '--proof-timeout', '45s', '--json']);
    expect(next.code, next.stderr).toBe(0);
    const lockStep = (JSON.parse(next.stdout) as { hosts: { steps: { name: string; detail: string }[] }[] }).hosts[0]?.steps.find((s) => s.name === 'lock');
    expect(lockStep?.detail).toMatch(/took over the lock of .*: pid \d+ is not running/);
    await expectHostAtVerified(vps, (await releaseRecords(vps)).filter((x) => x.status === 'verified').at(-1)!.id);
  }, 900_000);
});
