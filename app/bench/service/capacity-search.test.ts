import { describe, expect, it } from 'vitest';
import { searchCapacity, type SearchOptions } from './capacity-search.ts';
import type { ProbeReport } from './probe-sampler.ts';
import { judgeProbe, marginalCpuUsPerMessage } from './probe-verdict.ts';

const OPTIONS: SearchOptions = { startRate: 2000, minRate: 500, maxRate: 64_000, growth: 2, resolution: 0.1, maxProbes: 12 };
/** A fake service that holds every rate up to `limit`. */
const upTo = (limit: number) => async (rate: number) => ({ pass: rate <= limit, detail: { rate } });

describe('searchCapacity', () => {
  it.each([3000, 12_345, 40_000])('brackets a capacity of %i within the resolution, from below', async (limit) => {
    const r = await searchCapacity(upTo(limit), OPTIONS);
    expect(r.rated).toBeLessThanOrEqual(limit);
    expect(r.firstFail).toBeGreaterThan(limit);
    expect((r.firstFail! - r.rated) / r.rated).toBeLessThanOrEqual(OPTIONS.resolution);
    expect(r.probes.length).toBeLessThanOrEqual(OPTIONS.maxProbes);
  });

  it('steps down when the start rate already fails, and gives 0 when even the minimum fails', async () => {
    const low = await searchCapacity(upTo(700), OPTIONS);
    expect(low.probes[0]).toMatchObject({ rate: 2000, pass: false });
    expect(low.rated).toBeGreaterThan(600);
    expect(low.rated).toBeLessThanOrEqual(700);
    const none = await searchCapacity(upTo(100), OPTIONS);
    expect(none.rated).toBe(0);
    expect(none.probes.map((p) => p.rate)).toEqual([2000, 1000, 500]);
  });

  it('stops at maxRate when everything passes, and never exceeds maxProbes', async () => {
    const all = await searchCapacity(upTo(Infinity), OPTIONS);
    expect(all).toMatchObject({ rated: 64_000, firstFail: undefined });
    const few = await searchCapacity(upTo(12_345), { ...OPTIONS, maxProbes: 3 });
    expect(few.probes).toHaveLength(3);
  });
});

describe('judgeProbe', () => {
  const report = (o: Partial<ProbeReport> = {}): ProbeReport => ({
    seconds: 60,
    messages: 600_000,
    cpuMs: 30_000,
    eldP99Ms: 20,
    heapMb: [80, 120, 81, 119, 80, 121, 82, 118],
    rssMb: [200, 210, 201, 209, 200, 211, 202, 208],
    label: 'x',
    ...o,
  });

  it('passes a rate held with a flat GC sawtooth, and gives CPU per message', () => {
    expect(judgeProbe(10_000, [report()], 60)).toMatchObject({ pass: true, achievedRate: 10_000, cpuUsPerMessage: 50, simHours: 1 });
  });

  it('fails on delay, falling behind, a short window or a rising floor, naming each', () => {
    // Two shards: the worst delay and floor count, the messages add up (400k + 100k in 60 s of 10k/s offered).
    const v = judgeProbe(10_000, [report({ messages: 400_000 }), report({ eldP99Ms: 80, messages: 100_000, heapMb: [80, 120, 80, 120, 95, 130, 96, 131] })], 30);
    expect(v.pass).toBe(false);
    expect(v.reasons.join('; ')).toMatch(/delay p99 80 ms > 50.*handled 8333\/s of 10000\/s.*window 0.5 simulated h < 1.*heap floor grew 15 MB/);
  });
});

describe('marginalCpuUsPerMessage', () => {
  it('takes the fixed per-second work out, so the figure does not fall as the rate rises', () => {
    // 200 ms/s of fixed work and 25 µs a message: gross 45 µs at 10k/s and 35 µs at 20k/s, marginal 25 at both.
    const idle = { cpuMsPerSecond: 200 };
    expect([10_000, 20_000].map((achievedRate) => marginalCpuUsPerMessage({ cpuMsPerSecond: 200 + (25 * achievedRate) / 1000, achievedRate }, idle))).toEqual([25, 25]);
    expect(marginalCpuUsPerMessage({ cpuMsPerSecond: 300, achievedRate: 0 }, idle)).toBeNull();
  });
});
