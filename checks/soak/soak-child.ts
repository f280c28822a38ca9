import { spawn as nodeSpawn, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import type { SoakSample } from '../../reports/schemas/qa-result.ts';
import { SOAK_BUILD_ENV, SOAK_SAMPLE_MS_ENV, isSoakMessage, type SoakBuildName } from './soak-protocol.ts';

export type SpawnFn = typeof nodeSpawn;

export interface ChildRun {
  samples: SoakSample[];
  /** "stopped" when the runner ended it on schedule, otherwise why it ended early. */
  exitReason: string;
}

export interface RunChildOptions {
  root: string;
  build: SoakBuildName;
  durationS: number;
  sampleIntervalMs: number;
  /** Extra wall time allowed for the child to boot (tsx, ccxt import) before sampling starts. */
  bootTimeoutMs: number;
  /** The child's entry file, relative to root; default the real service entry of the soak. */
  entry?: string;
  spawn?: SpawnFn;
  signal?: AbortSignal;
}

export const SOAK_ENTRY = 'checks/soak/soak-entry.ts';

const live = new Set<ChildProcess>();
// Whatever ends the QA run (an error, Ctrl-C), no soak child outlives it.
process.once('exit', () => {
  for (const child of live) child.kill('SIGKILL');
});

/**
 * Runs one service build as a child process for `durationS` seconds after it reports ready, and
 * collects the memory samples it sends. Always resolves; the child is always killed.
 */
export function runSoakChild(o: RunChildOptions): Promise<ChildRun> {
  const spawn = o.spawn ?? nodeSpawn;
  const child = spawn(process.execPath, ['--expose-gc', '--import', 'tsx', join(o.root, o.entry ?? SOAK_ENTRY)], {
    cwd: o.root,
    env: { ...process.env, [SOAK_BUILD_ENV]: o.build, [SOAK_SAMPLE_MS_ENV]: String(o.sampleIntervalMs) },
    stdio: ['ignore', 'ignore', 'pipe', 'ipc'],
  });
  live.add(child);
  const samples: SoakSample[] = [];
  let stderr = '';
  let startedAt: number | null = null;

  return new Promise<ChildRun>((resolve) => {
    let settled = false;
    const finish = (exitReason: string) => {
      if (settled) return;
      settled = true;
      clearTimeout(bootTimer);
      clearTimeout(runTimer);
      o.signal?.removeEventListener('abort', onAbort);
      child.kill('SIGKILL');
      live.delete(child);
      resolve({ samples, exitReason });
    };
    const onAbort = () => finish('aborted');
    let runTimer: NodeJS.Timeout | undefined;
    const bootTimer = setTimeout(() => finish(`did not report ready within ${o.bootTimeoutMs} ms`), o.bootTimeoutMs);
    o.signal?.addEventListener('abort', onAbort, { once: true });

    child.stderr?.on('data', (chunk: Buffer) => {
      stderr = (stderr + chunk.toString()).slice(-2000);
    });
    child.on('error', (error) => finish(`spawn failed: ${error.message}`));
    child.on('exit', (code, sig) => {
      const tail = stderr.trim().split('\n').at(-1) ?? '';
      finish(`exited early (code ${code}, signal ${sig})${tail ? `: ${tail}` : ''}`);
    });
    child.on('message', (message: unknown) => {
      if (!isSoakMessage(message)) return;
      if (message.type === 'error') return finish(`failed: ${message.reason}`);
      if (message.type === 'ready' && startedAt === null) {
        startedAt = Date.now();
        clearTimeout(bootTimer);
        runTimer = setTimeout(() => finish('stopped'), o.durationS * 1000);
        return;
      }
      if (message.type === 'sample' && startedAt !== null) {
        samples.push({ tS: (Date.now() - startedAt) / 1000, rssMb: message.rssMb, heapMb: message.heapMb, retainedMb: message.retainedMb });
      }
    });
  });
}
