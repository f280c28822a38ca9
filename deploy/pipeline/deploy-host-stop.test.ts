import { describe, expect, it } from 'vitest';
import { systemClock } from '../../app/core/clock.ts';
import { DEFAULTS, QA_UNIT_FLOORS, STARTUP_LINE_PATTERN } from '../config/defaults.ts';
import type { HostTarget } from '../config/host-target.ts';
import { NO_SHARDS } from '../config/shard-plan.ts';
import { FAKE_SHA256, fakeHost, type FakeHostOptions } from '../testing/fake-host-shell.ts';
import { deployHost } from './deploy-host.ts';

// A signal at an exact moment and a lock stolen mid-watch cannot be made real cheaply: these run the
// whole pipeline against a scripted host. The restore itself is proven on real VPSes in deploy/e2e.
const target = (o: Partial<HostTarget> = {}): HostTarget => ({
  name: 'h1', address: '10.0.0.1', port: 22, user: 'deploy', identityFiles: [], knownHostsFiles: ['/dev/null'], knownHostsGiven: true, jump: undefined,
  appDir: '/srv/leakproof', service: 'leakproof', shards: NO_SHARDS, logPattern: STARTUP_LINE_PATTERN,
  proofTimeoutMs: 60_000, graceMs: 50, watchMs: 0, warmupMs: DEFAULTS.warmupMs, memoryDays: 7, watchCleanupS: undefined, qaFloors: QA_UNIT_FLOORS, ...o,
});
const file = { path: 'app/main.ts', localPath: '/tmp/none', sha256: FAKE_SHA256, mode: 0o644, size: 10 };

async function deploy(t: HostTarget, host: FakeHostOptions, signal?: AbortSignal, heartbeatMs = 60_000) {
  const h = fakeHost(host);
  const started = Date.now();
  const run = await deployHost(h.shell, t, { releaseId: 'r1', files: [file], build: { bundleSha256: 'b'.repeat(64), sourcesSha256: 's'.repeat(64), qaVerdict: null }, dryRun: false, breakStaleLock: false, clock: systemClock, signal, heartbeatMs });
  return { run, h, ms: Date.now() - started };
}

describe('deployHost stops mid-wait and restores', () => {
  it('SIGINT during the proof cuts the 60 s wait short, restores, records "interrupted" and releases the lock', async () => {
    const ac = new AbortController();
    setTimeout(() => ac.abort('SIGINT'), 300);
    // The new build never proves; only the restored one (invocation 2) does.
    const { run, h, ms } = await deploy(target(), { proves: (n) => n !== 1 }, ac.signal);
    expect(ms).toBeLessThan(10_000);
    expect(run.reason).toBe('interrupted (SIGINT)');
    expect(run.steps.find((s) => s.name === 'restart-proof')?.reason).toBe('interrupted (SIGINT)');
    expect(run.finalState).toBe('rolled-back');
    expect(run.exitCode).toBe(1);
    expect(h.toolOps).toContain('restore');
    expect(h.records.at(-1)).toMatchObject({ status: 'failed', reason: 'interrupted (SIGINT)' });
    expect(h.lockReleased()).toBe(true);
  }, 20_000);

  it('SIGTERM during the watch cuts the window short and restores', async () => {
    const ac = new AbortController();
    const { run, h, ms } = await deploy(target({ watchMs: 60_000 }), { onSample: (n) => n === 2 && ac.abort('SIGTERM') }, ac.signal);
    expect(ms).toBeLessThan(15_000);
    expect(run.steps.find((s) => s.name === 'watch')?.reason).toBe('interrupted (SIGTERM)');
    expect(run.finalState).toBe('rolled-back');
    expect(h.records.at(-1)).toMatchObject({ status: 'failed', reason: 'interrupted (SIGTERM)' });
    expect(h.records.some((r) => r.status === 'verified')).toBe(false);
    expect(h.lockReleased()).toBe(true);
  }, 20_000);

  it('a lock stolen mid-watch stops the deploy and restores instead of going on', async () => {
    const { run, h, ms } = await deploy(target({ watchMs: 60_000 }), { heartbeatCode: (n) => (n >= 3 ? 3 : 0) }, undefined, 200);
    expect(ms).toBeLessThan(15_000);
    expect(run.reason).toMatch(/^lock lost: .*no longer ours/);
    expect(run.finalState).toBe('rolled-back');
    expect(h.toolOps).toContain('restore');
    expect(h.records.at(-1)).toMatchObject({ status: 'failed', reason: expect.stringMatching(/lock lost/) });
    // The lock is someone else's now: the release must not remove it.
    expect(h.lockReleased()).toBe(false);
  }, 20_000);
});
