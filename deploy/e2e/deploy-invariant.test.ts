// @module-tag e2e
// @module-tag vps
import { writeFile } from 'node:fs/promises';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { checkInvariant } from '../releases/host-invariant.ts';
import { readHostState } from '../remote/host-state.ts';
import type { RemoteShell } from '../remote/ssh-session.ts';
import { fullDisk } from '../testing/guest-faults.ts';
import type { Vps } from '../testing/vps-handle.ts';
import { describeVps } from '../testing/vps-vitest.ts';
import { bootForDeploy, hostArgs, makeBuild, releaseRecords, runCli, setupOrThrow, tightenSudo, writeEnvFile } from './e2e-support.ts';

/** Root in the guest as a RemoteShell, so the very predicate reconcile uses judges the real host. */
const guestShell = (vps: Vps): RemoteShell => ({
  exec: async (command, o) => vps.exec(['sh', '-c', command], { input: o?.stdin, timeoutMs: o?.timeoutMs ?? 30_000 }),
  put: async () => ({ ok: false, reason: 'not used' }),
  follow: async () => 'not used',
  hostKey: { verdict: 'match', accepted: false },
  isClosed: () => false,
  close: () => undefined,
});

async function invariantOf(vps: Vps) {
  const s = await readHostState(guestShell(vps), { appDir: vps.appDir, service: vps.unit.replace(/\.service$/, '') }, [vps.unit]);
  if (!s.ok) throw new Error(s.reason);
  return checkInvariant(s.value);
}

/** Polls until the host is settled (the timer healed it) or the bound passes; returns the last verdict. */
async function settled(vps: Vps, boundMs: number) {
  const until = Date.now() + boundMs;
  let v = await invariantOf(vps);
  while (!(v.holds && v.state === 'settled') && Date.now() < until) {
    await new Promise((res) => setTimeout(res, 1_000));
    v = await invariantOf(vps);
  }
  return v;
}

const NEVER_PROVES = { file: 'app/service/start-service.ts', from: '(options.cleanup ?? config.cleanup.enabled)', to: '(false)' };

// One VPS for the file: setup with a secret under a mode poll, the revert unit's exposure, then the issue's
// two sequences on real systemd, each judged by the invariant predicate over the guest's real state.
describeVps('the host matches its record on a real VPS (secret mode, revert unit, the two sequences)', () => {
  let vps: Vps;
  let setupModes: string[] = [];
  const args = (root: string, extra: string[] = []) => ['--skip-qa', ...hostArgs(vps), '--root', root, '--grace', '1s', '--proof-timeout', '20s', ...extra];

  beforeAll(async () => {
    vps = await bootForDeploy();
    const build = await makeBuild('inv-base');
    const env = await writeEnvFile(build, { LEAKPROOF_HTTP_PORT: '0' });
    // A megabyte of comments makes the upload last long enough for the poll to watch it.
    await writeFile(env, `${'# padding so the upload takes a while\n'.repeat(28_000)}LEAKPROOF_HTTP_PORT=0\nLEAKPROOF_TOP_N=4\n`, { mode: 0o600 });
    const poll = vps.exec(
      ['sh', '-c', 'i=0; while [ ! -e /run/lp-stop-poll ] && [ $i -lt 200000 ]; do stat -c "%a %n" "$1"/leakproof.env* 2>/dev/null; i=$((i+1)); done', 'sh', vps.appDir],
      { timeoutMs: 280_000 },
    );
    await setupOrThrow([vps], [...args(build), '--env-file', env, '--exchange', 'sim'], 240_000).finally(() => vps.exec(['touch', '/run/lp-stop-poll']));
    setupModes = (await poll).stdout.split('\n').filter(Boolean);
    await tightenSudo(vps);
  }, 300_000);
  afterAll(async () => {
    await vps?.stop();
  });

  it('the env file is 0600 from its first byte: a poll in the guest during setup sees no other mode', () => {
    const modes = new Set(setupModes.map((l) => l.split(' ')[0]));
    console.log(`[measure] env file mode poll: ${setupModes.length} samples, ${setupModes.filter((l) => l.endsWith('.tmp')).length} of the temp during the upload, modes ${[...modes].join(',')}`);
    expect(setupModes.some((l) => l.endsWith('leakproof.env.tmp'))).toBe(true);
    expect([...modes]).toEqual(['600']);
  });

  it('systemd-analyze security rates leakproof-revert.service ≤ 5.0, and it still restores files and restarts the app', async () => {
    const unit = vps.unit.replace(/\.service$/, '-revert.service');
    const sec = await vps.execOk(['systemd-analyze', 'security', '--no-pager', unit]);
    const exposure = Number(/Overall exposure level for \S+: ([\d.]+)/.exec(sec)?.[1]);
    console.log(`[measure] systemd-analyze security ${unit}: exposure ${exposure}`);
    expect(exposure).toBeLessThanOrEqual(5.0);
    // The hardened unit at work: a deploy killed after arming is restored and restarted by it alone.
    const before = (await releaseRecords(vps)).filter((r) => r.status === 'verified').at(-1)?.id;
    const r = await runCli('deploy/deploy.ts', args(await makeBuild('inv-killed-upload'), ['--revert-window', '6s']), { interrupt: { when: /: upload ok /, signal: 'SIGKILL' }, timeoutMs: 240_000 });
    expect(r.interruptedAt, r.stderr).toBeDefined();
    const v = await settled(vps, 40_000);
    expect(v).toMatchObject({ holds: true, state: 'settled', current: before });
    expect((await releaseRecords(vps)).at(-1)).toMatchObject({ status: 'reverted', reason: expect.stringMatching(/confirm deadline passed/) });
  }, 300_000);

  it('sequence 1: a rollback right after a deploy killed 3 s into its proof reverts that deploy, then rolls back one release', async () => {
    const ok = await runCli('deploy/deploy.ts', args(await makeBuild('inv-good-2')), { timeoutMs: 240_000 });
    expect(ok.code, ok.stderr).toBe(0);
    const [previous, running] = (await releaseRecords(vps)).filter((r) => r.status === 'verified').slice(-2).map((r) => r.id);
    const killed = await runCli('deploy/deploy.ts', args(await makeBuild('inv-killed-proof', NEVER_PROVES)), {
      reached: { when: /: store ok /, then: (child) => setTimeout(() => child.kill('SIGKILL'), 3_000) },
      timeoutMs: 240_000,
    });
    expect(killed.code, killed.stderr).toBeNull();
    const rb = await runCli('rollback/rollback.ts', [...hostArgs(vps), '--grace', '1s'], { timeoutMs: 240_000 });
    console.log(`[measure] rollback after the killed deploy: exit ${rb.code} in ${rb.ms} ms; ${rb.stderr.split('\n').find((l) => l.includes('reconcile')) ?? ''}`);
    expect(rb.code, rb.stderr).toBe(0);
    expect(rb.stderr).toMatch(/reconcile: the timer reverted the pending \S+ and the restored service proved/);
    await new Promise((res) => setTimeout(res, 15_000));
    expect(await invariantOf(vps)).toMatchObject({ holds: true, state: 'settled', current: previous });
    const statuses = (await releaseRecords(vps)).map((r) => `${r.id}:${r.status}`);
    expect(statuses).toContain(`${running ?? ''}:rolled-back`);
  }, 400_000);

  it('sequence 2: disk full during the proof — the restore fails ENOSPC, exit 4 names what is left, the armed timer heals once space is freed', async () => {
    const before = (await releaseRecords(vps)).filter((r) => r.status === 'verified').at(-1)?.id;
    let fault: { undo(): Promise<void> } | undefined;
    const r = await runCli('deploy/deploy.ts', args(await makeBuild('inv-full-proof', NEVER_PROVES), ['--proof-timeout', '8s']), {
      reached: { when: /: store ok /, then: () => void fullDisk(vps, vps.appDir).then((f) => (fault = f)) },
      timeoutMs: 240_000,
    });
    console.log(`[measure] deploy with the disk full during its proof: exit ${r.code}; ${r.stderr.split('\n').find((l) => l.includes('no space')) ?? ''}`);
    expect(r.code, r.stderr).toBe(4);
    expect(r.stderr).toMatch(/no space left on device on \S+ at step restore/);
    expect(r.stderr).toMatch(/left to heal: \S+ stays pending and the armed revert timer restores/);
    expect((await vps.exec(['systemctl', 'is-active', vps.revertTimer])).stdout.trim()).toBe('active');
    await fault?.undo();
    const v = await settled(vps, 60_000);
    expect(v).toMatchObject({ holds: true, state: 'settled', current: before });
  }, 400_000);
});
