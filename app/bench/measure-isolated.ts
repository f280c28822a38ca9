import { execFile as nodeExecFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { build } from 'esbuild';
import { MeasureRequest, SampleShape } from './measure-request.ts';
import type { Measure } from './measure-in-process.ts';

export type ExecFile = (file: string, args: readonly string[], options: { timeout: number; maxBuffer: number }) => Promise<{ stdout: string }>;

export interface IsolatedOptions {
  execFile?: ExecFile;
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
  const execFile = options.execFile ?? (promisify(nodeExecFile) as ExecFile);
  const timeout = options.timeoutMs ?? 300_000;
  let bundled: ReturnType<typeof bundleChild> | undefined;
  return async (implementation, scenario, config) => {
    const request = JSON.stringify(MeasureRequest.parse({ implementation, scenario, config }));
    const ready = await (bundled ??= bundleChild());
    if (!ready.ok) return ready;
    const args = ['--expose-gc', CHILD_BUNDLE, request];
    try {
      const { stdout } = await execFile(process.execPath, args, { timeout, maxBuffer: 1 << 20 });
      const sample = SampleShape.safeParse(JSON.parse(stdout.trim().split('\n').at(-1) ?? 'null'));
      if (!sample.success) return { ok: false, reason: `${implementation}/${scenario.name}: the child printed no sample` };
      return { ok: true, sample: sample.data };
    } catch (error) {
      const e = error as { stderr?: string; message: string };
      // Node ends a crash with its version line; the child's own line or the error's names the cause.
      const detail = e.stderr?.split('\n').find((l) => /^(measure-child: |\w*Error: )/.test(l)) ?? e.message;
      return { ok: false, reason: `${implementation}/${scenario.name}: ${detail}` };
    }
  };
}
