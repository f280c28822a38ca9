// @module-tag e2e
// @module-tag vps
import { afterAll, beforeAll, expect, it } from 'vitest';
import { describeVps } from '../testing/vps-vitest.ts';
import type { Vps } from '../testing/vps-handle.ts';
import { heapDir } from '../heap/heap-dir.ts';
import { expectHostAtVerified, makeBuild, releaseRecords, runCli } from './e2e-support.ts';
import { bootWatchHost, declareSet, hostOf, SET_LEAK, watchArgs } from './watch-support.ts';

describeVps('the deploy watch fails a per-message leak on a real VPS at 2,500 msg/s, names its retainer and restores', () => {
  let vps: Vps;
  beforeAll(async () => {
    vps = await bootWatchHost();
  }, 300_000);
  afterAll(async () => {
    await vps?.stop();
  });
  const args = (root: string, watch: string[]) => watchArgs(vps, root, watch);

  it('a per-message leak fails a 3-minute watch, the host snapshots name its retainer, and the release is restored', async () => {
    const before = (await releaseRecords(vps)).filter((x) => x.status === 'verified').at(-1)?.id ?? '';
    const leaky = await makeBuild('units-leak', SET_LEAK);
    await declareSet(leaky);
    const r = await runCli('deploy/deploy.ts', args(leaky, ['--watch', '3m', '--cleanup-interval', '5s']), { timeoutMs: 480_000 });
    expect(r.code, r.stderr).toBe(1);
    const host = hostOf(r.stdout);
    expect(host.finalState).toBe('rolled-back');
    // Either judgement may fire first: the slope over QA's floor, or (a smaller leak, as the emulator's trade
    // tape repeats ids) growth that fills the MemoryHigh headroom within the days at this traffic.
    expect(host.steps.find((s) => s.name === 'watch')?.detail).toMatch(/retains [\d.,]+ B\/(message|hour) \(95% .*\) > QA floor|the retained heap reaches MemoryHigh in [\d.]+ days < 7/);
    const heap = host.memory?.heap;
    expect(heap?.snapshots.map((s) => s.mode)).toEqual(['600', '600']);
    expect(heap?.messagesBetween).toBeGreaterThan(10_000);
    if (!heap) throw new Error('no heap snapshots were taken');
    if (!heap.whatGrew.ok) throw new Error(`no reading of the host snapshots: ${heap.whatGrew.reason}`);
    expect(heap.whatGrew.rows.map((row) => row.retainerPath).join('\n')).toMatch(/seenTradeIds/);
    // Copied back and removed: nothing of the heap stays on the host.
    expect((await vps.execOk(['sh', '-c', 'ls -A "$1" "$1.out" 2>/dev/null || true', 'sh', heapDir(vps.unit)])).trim().split('\n').filter((l) => l.endsWith('.heapsnapshot'))).toEqual([]);
    await expectHostAtVerified(vps, before);
    const watch = host.steps.findIndex((s) => s.name === 'watch');
    const restoredMs = host.steps.slice(watch).reduce((sum, s) => sum + s.durationMs, 0);
    const mb = (n: number) => (n / 1048576).toFixed(1);
    console.log(
      `[measure] leak, 3 min watch: ${host.steps[watch]?.detail ?? ''}; ${host.memory?.units?.floors.join('; ') ?? ''}; ` +
        `snapshots ${heap.snapshots.map((s) => `${mb(s.bytes)} MB in ${s.ms} ms, RSS ${s.rssBeforeMb.toFixed(0)} → peak ${s.peakRssMb.toFixed(0)} MB${s.peakRaised ? '' : ' (earlier peak)'}`).join('; ')}; ` +
        `${String(heap.messagesBetween)} messages apart; watch start → restored release ${(restoredMs / 1000).toFixed(0)} s; top rows: ${heap.whatGrew.rows.slice(0, 3).map((x) => `${x.kind} +${mb(x.bytesAfter - x.bytesBefore)} MB by ${x.retainerPath}`).join(' | ')}`,
    );
  }, 540_000);
});
