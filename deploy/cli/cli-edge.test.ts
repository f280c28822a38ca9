import { describe, expect, it } from 'vitest';
import { changeTracker } from './cli-edge.ts';

describe('changeTracker: an unexpected throw exits 4 only once a host may really be unverified', () => {
  it('preflight and lock leave hosts as they were; any other step may not', () => {
    const t = changeTracker();
    t.onStep({ host: 'h', step: 'preflight', phase: 'start' });
    t.onStep({ host: 'h', step: 'preflight', phase: 'end', ok: true, durationMs: 1, reason: '' });
    t.onStep({ host: 'h', step: 'lock', phase: 'start' });
    expect(t.hostMayBeUnverified()).toBe(false);
    t.onStep({ host: 'h', step: 'backup', phase: 'start' });
    expect(t.hostMayBeUnverified()).toBe(true);
  });
});
