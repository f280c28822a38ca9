// @module-tag e2e
import { describe, expect, it } from 'vitest';
import { requireVpsSupport, vpsGate } from './vps-support.ts';

describe('vpsGate: CI fails, a laptop skips loudly', () => {
  const missing = { ok: false as const, reason: 'missing systemd-nspawn' };

  it('runs when the host can boot VPSes', () => {
    expect(vpsGate({ ok: true }, { CI: 'true' })).toEqual({ action: 'run' });
  });

  it('fails in CI and names what is missing', () => {
    expect(vpsGate(missing, { CI: 'true' })).toEqual({ action: 'fail', message: 'VPS tests cannot run on this CI host: missing systemd-nspawn' });
  });

  it('skips with the reason outside CI', () => {
    expect(vpsGate(missing, {})).toEqual({ action: 'skip', message: 'SKIPPING VPS tests: missing systemd-nspawn' });
    expect(vpsGate(missing, { CI: 'false' }).action).toBe('skip');
  });

  it.runIf(process.env.CI === 'true')('detects a CI host (set up by .ci/run) as able to boot VPSes', () => {
    expect(requireVpsSupport()).toEqual({ ok: true });
  });
});
