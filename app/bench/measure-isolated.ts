import { execFile as nodeExecFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { z } from 'zod';
import type { Measure } from './measure-in-process.ts';
import type { Sample } from './measure-once.ts';

export const MeasureRequest = z.object({
  implementation: z.string().min(1),
  scenario: z.object({ name: z.string().min(1), pattern: z.array(z.enum(['new', 'update'])).min(1) }),
  config: z.object({
    keys: z.number().int().positive(),
    cap: z.number().int().positive(),
    ticks: z.number().int().positive(),
    reps: z.number().int().positive(),
    cleanupPasses: z.number().int().positive(),
    gcSamples: z.number().int().positive(),
  }),
});

const finite = z.number().finite();
const SampleShape = z.object({
  implementation: z.string(),
  scenario: z.string(),
  appendsPerSec: finite,
  appendsPerSecOverall: finite,
  bytesPerCandle: finite,
  eldP99Ms: finite,
  eldBaselineP99Ms: finite,
  gcMs: finite,
  gcBaselineMs: finite,
  cleanupP99Ms: finite.nullable(),
  gcEvents: finite,
  retainedCandles: finite,
}) satisfies z.ZodType<Sample>;

export type ExecFile = (file: string, args: readonly string[], options: { timeout: number; maxBuffer: number }) => Promise<{ stdout: string }>;

export interface IsolatedOptions {
  execFile?: ExecFile;
  /** A measurement that takes longer than this is killed and reported as failed. */
  timeoutMs?: number;
}

const CHILD = fileURLToPath(new URL('./measure-child.ts', import.meta.url));

/**
 * Runs each measurement in a fresh Node process that loads only the design measured: a full gc() and the
 * event-loop delay then see that design's heap alone, not the other designs' garbage or the bench's own.
 */
export function isolatedMeasure(options: IsolatedOptions = {}): Measure {
  const execFile = options.execFile ?? (promisify(nodeExecFile) as ExecFile);
  const timeout = options.timeoutMs ?? 300_000;
  return async (implementation, scenario, config) => {
    const request = JSON.stringify(MeasureRequest.parse({ implementation, scenario, config }));
    const args = ['--expose-gc', '--import', import.meta.resolve('tsx'), CHILD, request];
    try {
      const { stdout } = await execFile(process.execPath, args, { timeout, maxBuffer: 1 << 20 });
      const sample = SampleShape.safeParse(JSON.parse(stdout.trim().split('\n').at(-1) ?? 'null'));
      if (!sample.success) return { ok: false, reason: `${implementation}/${scenario.name}: the child printed no sample` };
      return { ok: true, sample: sample.data };
    } catch (error) {
      const e = error as { stderr?: string; message: string };
      const detail = (e.stderr?.trim().split('\n').at(-1) ?? '') || e.message;
      return { ok: false, reason: `${implementation}/${scenario.name}: ${detail}` };
    }
  };
}
