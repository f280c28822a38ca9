/**
 * The child side of a capacity probe. The parent writes `mark` on stdin to start the measured window
 * and `report` to end it; the child then prints one JSON line (ProbeReport) with the window's
 * messages, CPU, event-loop delay p99 and a memory sample per second.
 */
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { createInterface } from 'node:readline';
import { z } from 'zod';

export const ProbeReport = z.object({
  seconds: z.number(),
  messages: z.number(),
  cpuMs: z.number(),
  eldP99Ms: z.number(),
  heapMb: z.array(z.number()),
  rssMb: z.array(z.number()),
  /** What the child owns (symbols, shard), for the report. */
  label: z.string(),
});
export type ProbeReport = z.infer<typeof ProbeReport>;

const mb = (bytes: number) => Math.round((bytes / 2 ** 20) * 10) / 10;
const cpuMs = () => {
  const c = process.cpuUsage();
  return (c.user + c.system) / 1000;
};

/** Prints `{"ready":true}` now, then answers `mark` / `report` on stdin; exits when stdin ends. */
export function runProbeSampler(o: { messages: () => number; label: () => string; onEnd: () => Promise<void> }): void {
  const eld = monitorEventLoopDelay({ resolution: 10 });
  let start: { t: number; messages: number; cpuMs: number } | undefined;
  const heapMb: number[] = [];
  const rssMb: number[] = [];
  const sampler = setInterval(() => {
    if (!start) return;
    const m = process.memoryUsage();
    heapMb.push(mb(m.heapUsed));
    rssMb.push(mb(m.rss));
  }, 1000);
  process.stdout.write(`${JSON.stringify({ ready: true })}\n`);
  createInterface({ input: process.stdin }).on('line', (line) => {
    if (line.trim() === 'mark') {
      start = { t: performance.now(), messages: o.messages(), cpuMs: cpuMs() };
      heapMb.length = 0;
      rssMb.length = 0;
      eld.reset();
      eld.enable();
    } else if (line.trim() === 'report' && start) {
      const report: ProbeReport = {
        seconds: (performance.now() - start.t) / 1000,
        messages: o.messages() - start.messages,
        cpuMs: cpuMs() - start.cpuMs,
        eldP99Ms: eld.percentile(99) / 1e6,
        heapMb: [...heapMb],
        rssMb: [...rssMb],
        label: o.label(),
      };
      process.stdout.write(`${JSON.stringify(report)}\n`);
    }
  });
  process.stdin.on('end', () => {
    clearInterval(sampler);
    void o.onEnd().finally(() => process.exit(0));
  });
}
