/**
 * A counting semaphore whose waiters are served lowest priority number first, FIFO within one
 * priority. Bybit's budget is spent where this lets calls through, so it decides what degrades.
 */
export class PriorityGate {
  private inFlight = 0;
  private readonly waiting = new Map<number, Array<() => void>>();

  constructor(private readonly slots: number) {
    if (!(Number.isInteger(slots) && slots >= 1)) throw new RangeError(`concurrency must be a whole number >= 1, got ${String(slots)}`);
  }

  acquire(priority: number): Promise<void> {
    if (this.inFlight < this.slots) {
      this.inFlight++;
      return Promise.resolve();
    }
    return new Promise((resolve) => {
      const queue = this.waiting.get(priority);
      if (queue) queue.push(resolve);
      else this.waiting.set(priority, [resolve]);
    });
  }

  release(): void {
    const next = this.next();
    if (next) next();
    else this.inFlight--;
  }

  private next(): (() => void) | undefined {
    let best: [number, Array<() => void>] | undefined;
    for (const entry of this.waiting) if (best === undefined || entry[0] < best[0]) best = entry;
    if (best === undefined) return undefined;
    const [priority, queue] = best;
    const head = queue.shift();
    if (queue.length === 0) this.waiting.delete(priority);
    return head;
  }
}
