// @module-tag e2e
// @module-tag vps
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { expect, it } from 'vitest';
import { describeVps } from './vps-vitest.ts';
import { bootVps } from './boot-vps.ts';
import { sweepStaleVpses } from './sweep-stale-vpses.ts';
import { readOwner, writeOwner } from './vps-claim.ts';
import { mountsUnder } from './guest-rootfs.ts';
import { vpsLayout } from './vps-layout.ts';
import type { Vps } from './vps-handle.ts';

describeVps('several VPSes at once', () => {
  it('boots two in parallel, each with its own address, host key and network', async () => {
    const started: Vps[] = [];
    try {
      const boots = await Promise.allSettled([bootVps(), bootVps()]);
      for (const b of boots) if (b.status === 'fulfilled') started.push(b.value);
      // The reasons, not just the statuses: a failed boot's message carries the guest's console and login facts.
      expect(boots.flatMap((b) => (b.status === 'rejected' ? [String(b.reason)] : []))).toEqual([]);
      const [a, b] = started as [Vps, Vps];
      expect(a.ip).not.toBe(b.ip);
      expect(a.hostKey).not.toBe(b.hostKey);
      const [ra, rb] = await Promise.all([a.ssh('hostname'), b.ssh('hostname')]);
      expect([ra.stdout.trim(), rb.stdout.trim()]).toEqual([a.name, b.name]);
      // Each guest sees only its own /24 and has no route out: it cannot reach the other guest.
      const cross = await a.exec(['timeout', '2', 'bash', '-c', `echo > /dev/tcp/${b.ip}/22`]);
      expect(cross.code).not.toBe(0);
      const route = await a.execOk(['ip', 'route']);
      expect(route).not.toMatch(/default/);
    } finally {
      await Promise.all(started.map((v) => v.stop()));
    }
  });

  it('sweepStaleVpses removes a VPS whose owner died and keeps a live one', async () => {
    const live = await bootVps();
    const orphan = await bootVps();
    try {
      // A real dead process: its pid and start time will never match a live one again.
      const dead = spawnSync('sh', ['-c', 'echo $$'], { encoding: 'utf8' });
      const layout = vpsLayout(orphan.index, orphan.name);
      const owner = await readOwner(layout);
      expect(owner).toBeDefined();
      if (owner) await writeOwner(layout, { ...owner, pid: Number(dead.stdout.trim()), startTime: 'gone' });
      const result = await sweepStaleVpses();
      expect(result.removed).toContain(orphan.name);
      expect(result.kept).toContain(live.name);
      expect(existsSync(`/proc/${orphan.leaderPid}`)).toBe(false);
      expect(existsSync(`/run/netns/${orphan.netns}`)).toBe(false);
      expect(await mountsUnder(layout.stateDir)).toEqual([]);
      expect(existsSync(layout.stateDir)).toBe(false);
      expect((await live.ssh('true')).code).toBe(0);
    } finally {
      await Promise.all([live.stop(), orphan.stop()]);
    }
  });
});
