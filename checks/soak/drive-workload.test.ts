import { describe, expect, it } from 'vitest';
import { driveWorkload } from './drive-workload.ts';
import { SteppedClock } from './stepped-clock.ts';

const workload = { simHours: 1, stepSimS: 60, messagesPerSimMinute: 10, sampleEverySimMinutes: 20, sampleOffsetSimMinutes: 5, warmupSimHours: 0 };

/** A fake emulator stream: while it flows, each real ms tick pushes `burst` messages. */
function fakeStream(burst: number) {
  let pushed = 0;
  let timer: NodeJS.Timeout | undefined;
  return {
    pushed: () => pushed,
    flow(on: boolean) {
      clearInterval(timer);
      timer = on ? setInterval(() => (pushed += burst), 1) : undefined;
    },
  };
}

describe('driveWorkload', () => {
  it('pays each simulated minute in messages, samples on its phase, and waits for the REST calls of each step', async () => {
    const clock = new SteppedClock({ startMs: 0 });
    let inFlight = 0;
    // A refresh loop: every 5 simulated minutes one REST call that takes 15 real ms.
    const refreshes: number[] = [];
    void (async () => {
      for (let i = 0; i < 12; i++) {
        await clock.sleep(300_000);
        inFlight += 1;
        await new Promise((resolve) => setTimeout(resolve, 15));
        refreshes.push(clock.elapsedMs);
        inFlight -= 1;
      }
    })();
    const samples: Array<{ simH: number; messages: number; refreshes: number }> = [];
    const summary = await driveWorkload({
      clock,
      workload,
      stream: fakeStream(3),
      restInFlight: () => inFlight,
      sample: (at) => void samples.push({ ...at, refreshes: refreshes.length }),
    });
    expect(summary).toMatchObject({ steps: 60, restWaitsCut: 0, messageWaitsCut: 0 });
    // 600 messages owed; the flow stops within one burst of the count.
    expect(summary.messages).toBeGreaterThanOrEqual(600);
    expect(summary.messages).toBeLessThan(600 + 3);
    // Every refresh finished inside the step that woke it, so its simulated time is its due time.
    expect(refreshes).toEqual(Array.from({ length: 12 }, (_, i) => (i + 1) * 300_000));
    expect(samples.map((s) => [Number(s.simH.toFixed(3)), s.refreshes])).toEqual([
      [0.083, 1],
      [0.417, 5],
      [0.75, 9],
    ]);
  });

  it('moves on, counting it, when no message can come', async () => {
    const clock = new SteppedClock({ startMs: 0 });
    const summary = await driveWorkload({
      clock,
      workload: { ...workload, simHours: 0.05 },
      stream: { pushed: () => 0, flow: () => {} },
      restInFlight: () => 0,
      sample: () => {},
      waitBoundMs: 5,
    });
    expect(summary).toEqual({ steps: 3, messages: 0, restWaitsCut: 0, messageWaitsCut: 3 });
  });
});
