import { z } from 'zod';
import type { Sample } from './measure-once.ts';

/** What the parent asks an isolated measurement process for (see measure-isolated.ts). */
export const MeasureRequest = z.object({
  implementation: z.string().min(1),
  scenario: z.object({ name: z.string().min(1), pattern: z.array(z.enum(['new', 'update'])).min(1) }),
  config: z.object({
    keys: z.number().int().positive(),
    cap: z.number().int().positive(),
    warmTicks: z.number().int().nonnegative(),
    ticks: z.number().int().positive(),
    reps: z.number().int().positive(),
    cleanupPasses: z.number().int().positive(),
    gcSamples: z.number().int().positive(),
  }),
});

const finite = z.number();
/** What the child prints back, checked before it joins the medians. */
export const SampleShape = z.object({
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

