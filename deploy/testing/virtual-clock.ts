import type { Clock } from '../../app/core/clock.ts';

interface Sleeper {
  at: number;
  seq: number;
  wake: () => void;
}

export interface VirtualClock extends Clock {
  /** Wakes no one any more: what still sleeps stays asleep (a killed run, a timer of a finished history). */
  stop(): void;
}

/**
 * Discrete-event time for in-process simulations: once every runnable promise has settled (the next
 * macrotask), time jumps to the earliest sleeper and wakes it alone. Minutes of deploy take milliseconds,
 * and the interleaving of concurrent runs is a function of their code, not of the machine's load.
 */
export function virtualClock(start = Date.UTC(2026, 11, 6, 3, 0, 0)): VirtualClock {
  let now = start;
  let seq = 0;
  let stopped = false;
  let driving = false;
  const sleepers: Sleeper[] = [];
  const drive = () => {
    driving = false;
    if (stopped || sleepers.length === 0) return;
    sleepers.sort((a, b) => a.at - b.at || a.seq - b.seq);
    const next = sleepers.shift();
    if (!next) return;
    now = Math.max(now, next.at);
    next.wake();
    schedule();
  };
  const schedule = () => {
    if (driving || stopped) return;
    driving = true;
    setImmediate(drive);
  };
  return {
    now: () => now,
    sleep: (ms, signal) =>
      new Promise<void>((resolve, reject) => {
        if (signal?.aborted) return reject(signal.reason as Error);
        const s: Sleeper = { at: now + Math.max(0, ms), seq: (seq += 1), wake: () => (signal?.removeEventListener('abort', onAbort), resolve()) };
        const onAbort = () => {
          const i = sleepers.indexOf(s);
          if (i >= 0) sleepers.splice(i, 1);
          reject(signal?.reason as Error);
        };
        signal?.addEventListener('abort', onAbort, { once: true });
        sleepers.push(s);
        schedule();
      }),
    stop: () => {
      stopped = true;
      sleepers.length = 0;
    },
  };
}
