import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';
import { MeasureRequest, SampleShape } from './measure-request.ts';
import { parseJsonLine } from '../core/json-line.ts';
import { describeFailure, runProcess, type ProcessResult, type RunProcessOptions } from '../core/run-process.ts';
import type { Measure } from './measure-in-process.ts';

export type RunProcess = (argv: readonly string[], options: RunProcessOptions) => Promise<ProcessResult>;

export interface IsolatedOptions {
  run?: RunProcess;
  /** A measurement that takes longer than this is killed and reported as failed. */
  timeoutMs?: number;
}

const CHILD_SOURCE = fileURLToPath(new URL('./measure-child.ts', import.meta.url));
// Inside the repo, so the bundle resolves ccxt (left external) from the project's node_modules.
const CHILD_BUNDLE = fileURLToPath(new URL('../../.tmp/bench/measure-child.mjs', import.meta.url));

/**
 * The child as one plain-JS file: run under tsx, the loader's own heap doubled the floor of every full
 * gc() (about 10 ms against 5 ms here), which is the figure the bench exists to measure.
 */
async function bundleChild(): Promise<{ ok: true } | { ok: false; reason: string }> {
  try {
    await build({
      entryPoints: [CHILD_SOURCE],
      outfile: CHILD_BUNDLE,
      bundle: true,
      platform: 'node',
      format: 'esm',
      target: 'node20',
      external: ['ccxt'],
      logLevel: 'silent',
    });
    return { ok: true };
  } catch (error) {
    return { ok: false, reason: `cannot bundle ${CHILD_SOURCE}: ${(error as Error).message}` };
  }
}

/**
 * Runs each measurement in a fresh Node process that loads only the design measured: a full gc() and the
 * event-loop delay then see that design's heap alone, not the other designs' garbage or the bench's own.
 */
export function isolatedMeasure(options: IsolatedOptions = {}): Measure {
  const run = options.run ?? runProcess;
  const timeout = options.timeoutMs ?? 300_000;
  let bundled: ReturnType<typeof bundleChild> | undefined;
  return async (implementation, scenario, config) => {
    const request = JSON.stringify(MeasureRequest.parse({ implementation, scenario, config }));
    const ready = await (bundled ??= bundleChild());
    if (!ready.ok) return ready;
    const args = ['--expose-gc', CHILD_BUNDLE, request];
    const r = await run([process.execPath, ...args], { timeoutMs: timeout });
    const sample = parseJsonLine(r.stdout.trim().split('\n').at(-1) ?? '', SampleShape);
    if (r.code === 0 && sample !== undefined) return { ok: true, sample };
    if (r.code === 0) return { ok: false, reason: `${implementation}/${scenario.name}: the child printed no sample` };
    // Node ends a crash with its version line; the child's own line or the error's names the cause.
    const detail = r.stderr.split('\n').find((l) => /^(measure-child: |\w*Error: )/.test(l)) ?? describeFailure(r);
    return { ok: false, reason: `${implementation}/${scenario.name}: ${detail}` };
  };
}
