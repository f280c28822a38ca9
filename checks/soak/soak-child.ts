import { spawn as nodeSpawn, type ChildProcess } from 'node:child_process';
import { nodeScriptArgs } from '../../app/testing/node-script.ts';
import type { SoakPhase, SoakSample } from '../../reports/schemas/qa-result.ts';
import type { SoakPlan } from './soak-config.ts';
import { SOAK_BUILD_ENV, SOAK_HEAP_DIR_ENV, SOAK_PLAN_ENV, SoakMessage, type SoakBuildName } from './soak-protocol.ts';

export type SpawnFn = typeof nodeSpawn;

export interface ChildRun {
  samples: SoakSample[];
  /** "done" when the child finished its workload, otherwise why it ended early. */
  exitReason: string;
  /** The child's own account of the workload it drove; undefined unless done. */
  done?: { steps: number; messages: number; listingTurns: number; restWaitsCut: number; messageWaitsCut: number; cpuS?: number | undefined };
  /** Wall seconds from ready to done (or to the failure). */
  wallS: number;
  /** The heap snapshots the child wrote at each phase's first and last sample, with the real ms each took. */
  snapshots: Partial<Record<`${SoakPhase}-${'first' | 'last'}`, { file: string; ms: number; mb: number }>>;
}

export interface RunChildOptions {
  root: string;
  build: SoakBuildName;
  plan: SoakPlan;
  /** Wall time allowed for the workload after ready; past it the run fails with how far it got. */
  wallCapMs: number;
  /** Wall time allowed for the child to boot (the bundle's start, the first refresh passes). */
  bootTimeoutMs: number;
  /** The child's script, absolute: a bundle (.mjs) runs on bare node, a .ts source (test stand-ins) under tsx. */
  script: string;
  spawn?: SpawnFn;
  signal?: AbortSignal;
  /** Where the child writes its heap snapshots; none without it. */
  heapDir?: string;
}

const live = new Set<ChildProcess>();
// Whatever ends the QA run (an error, Ctrl-C), no soak child outlives it.
process.once('exit', () => {
  for (const child of live) child.kill('SIGKILL');
});

/**
 * Runs one service build as a child process until it has driven its workload, and collects the memory
 * samples it sends. Always resolves; the child is always killed.
 */
export function runSoakChild(o: RunChildOptions): Promise<ChildRun> {
  const spawn = o.spawn ?? nodeSpawn;
  const child = spawn(process.execPath, ['--expose-gc', ...nodeScriptArgs(o.script)], {
    cwd: o.root,
    env: { ...process.env, [SOAK_BUILD_ENV]: o.build, [SOAK_PLAN_ENV]: JSON.stringify(o.plan), ...(o.heapDir ? { [SOAK_HEAP_DIR_ENV]: o.heapDir } : {}) },
    stdio: ['ignore', 'ignore', 'pipe', 'ipc'],
  });
  live.add(child);
  const samples: SoakSample[] = [];
  const snapshots: ChildRun['snapshots'] = {};
  let stderr = '';
  let startedAt: number | null = null;

  return new Promise<ChildRun>((resolve) => {
    let settled = false;
    const finish = (exitReason: string, done?: ChildRun['done']) => {
      if (settled) return;
      settled = true;
      clearTimeout(bootTimer);
      clearTimeout(capTimer);
      o.signal?.removeEventListener('abort', onAbort);
      child.kill('SIGKILL');
      live.delete(child);
      const wallS = startedAt === null ? 0 : (Date.now() - startedAt) / 1000;
      resolve({ samples, exitReason, wallS, snapshots, ...(done ? { done } : {}) });
    };
    const onAbort = () => finish('aborted');
    let capTimer: NodeJS.Timeout | undefined;
    const bootTimer = setTimeout(() => finish(`did not report ready within ${o.bootTimeoutMs} ms`), o.bootTimeoutMs);
    o.signal?.addEventListener('abort', onAbort, { once: true });
    const reached = () => {
      const last = samples.at(-1);
      return last ? `the ${last.phase} phase, ${last.messages} messages, ${last.listingTurns} listing turns, ${last.simH.toFixed(2)} simulated hours` : 'no sample';
    };

    child.stderr?.on('data', (chunk: Buffer) => {
      stderr = (stderr + chunk.toString()).slice(-2000);
    });
    child.on('error', (error) => finish(`spawn failed: ${error.message}`));
    child.on('exit', (code, sig) => {
      const tail = stderr.trim().split('\n').at(-1) ?? '';
      finish(`exited early (code ${code}, signal ${sig}) at ${reached()}${tail ? `: ${tail}` : ''}`);
    });
    child.on('message', (raw: unknown) => {
      const parsed = SoakMessage.safeParse(raw);
      if (!parsed.success) return finish(`sent a malformed message: ${parsed.error.issues[0]?.message ?? 'invalid'}`);
      const message = parsed.data;
      if (message.type === 'error') return finish(`failed: ${message.reason}`);
      if (message.type === 'ready' && startedAt === null) {
        startedAt = Date.now();
        clearTimeout(bootTimer);
        capTimer = setTimeout(() => finish(`did not finish its workload within ${o.wallCapMs / 1000} s (reached ${reached()})`), o.wallCapMs);
        return;
      }
      if (message.type === 'sample' && startedAt !== null) {
        const { type: _type, ...sample } = message;
        samples.push({ tS: (Date.now() - startedAt) / 1000, ...sample });
      }
      if (message.type === 'snapshot') snapshots[`${message.phase}-${message.edge}`] = { file: message.file, ms: message.ms, mb: message.mb };
      if (message.type === 'done' && startedAt !== null) {
        const { type: _type, ...done } = message;
        finish('done', done);
      }
    });
  });
}
