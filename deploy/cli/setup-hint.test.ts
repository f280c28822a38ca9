import { describe, expect, it } from 'vitest';
import { STARTUP_LINE_PATTERN } from '../config/defaults.ts';
import { proofTimeoutSchema, validateInventory } from '../config/inventory.ts';
import { NO_SHARDS } from '../config/shard-plan.ts';
import type { HostTarget } from '../config/host-target.ts';
import { setupHint } from './common.ts';

const target = (o: Partial<HostTarget>): HostTarget => ({
  name: 'deploy@10.200.22.2', address: '10.200.22.2', port: 22, user: 'deploy', identityFiles: [], knownHostsFiles: [], knownHostsGiven: false, jump: undefined, appDir: '/srv/leakproof',
  service: 'leakproof', shards: NO_SHARDS, logPattern: STARTUP_LINE_PATTERN, proofTimeoutMs: 30_000, graceMs: 1_000, watchMs: 0, warmupMs: 0, memoryBudgetMbPerMin: 20, ...o,
});

describe('the not-set-up hint is a command that runs as printed', () => {
  it.each([
    [{}, 'npm run deploy -- setup --host deploy@10.200.22.2 --exchange <bybit|sim> --app-dir /srv/leakproof'],
    [{ name: 'edge', port: 2222, user: 'ops' }, 'npm run deploy -- setup --host ops@10.200.22.2:2222 --exchange <bybit|sim> --app-dir /srv/leakproof'],
    [{ name: 'v6', address: '::1', port: 2200 }, 'npm run deploy -- setup --host deploy@[::1]:2200 --exchange <bybit|sim> --app-dir /srv/leakproof'],
  ])('%o → %s', (o, hint) => {
    expect(setupHint(target(o))).toBe(hint);
  });
});

describe('proofTimeout is at least 1 s, with field and reason', () => {
  it.each(['0', '0s', '999ms', 0])('%o is refused', (v) => {
    const r = proofTimeoutSchema.safeParse(v);
    expect(r.success ? 'accepted' : r.error.issues[0]?.message).toMatch(/must be at least 1s/);
  });
  it('an inventory names the field', () => {
    expect(validateInventory({ defaults: { proofTimeout: '0s' }, hosts: [{ name: 'a', address: '10.0.0.1' }] })).toEqual({ ok: false, reason: 'inventory defaults.proofTimeout: must be at least 1s (the proof waits this long for the startup lines)' });
  });
  it.each([['1s', 1_000], ['45s', 45_000]])('%s is %i ms', (v, ms) => {
    expect(proofTimeoutSchema.parse(v)).toBe(ms);
  });
});
