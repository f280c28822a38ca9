// @module-tag e2e
// @module-tag vps
import { expect, it } from 'vitest';
import { describeVps } from './vps-vitest.ts';
import { claimFreeIndex, releaseClaim, withClaimsLock } from './vps-claim.ts';

describeVps('VPS claims', () => {
  it('a claim waits while a sweep holds the claims lock, so no sweep sees an index released and claimed again', async () => {
    const events: string[] = [];
    let open = (): void => undefined;
    const gate = new Promise<void>((resolve) => {
      open = resolve;
    });
    let locked = (): void => undefined;
    const isLocked = new Promise<void>((resolve) => {
      locked = resolve;
    });
    const sweep = withClaimsLock(async () => {
      events.push('sweep holds the lock');
      locked();
      await gate;
      events.push('sweep done');
    });
    await isLocked;
    const claim = claimFreeIndex(undefined).then((layout) => {
      events.push('claimed');
      return layout;
    });
    // A claim without the lock takes milliseconds; it must still be waiting after 300.
    await new Promise((r) => setTimeout(r, 300));
    expect(events).toEqual(['sweep holds the lock']);
    open();
    const layout = await claim;
    await sweep;
    try {
      expect(events).toEqual(['sweep holds the lock', 'sweep done', 'claimed']);
    } finally {
      await releaseClaim(layout);
    }
  });
});
