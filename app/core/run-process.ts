import { execa } from 'execa';

/**
 * The one process runner of the tooling (QA, bench, deploy, the test harness), on execa, and its one
 * result shape. Not part of the service: nothing app/main.ts imports reaches it.
 */
export interface ProcessResult {
  argv: readonly string[];
  /** Exit code; null when a signal ended the child or it never started. */
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  /** The child's stderr, plus why it could not start (ENOENT, EACCES) when it did not. */
  stderr: string;
  /** Killed at `timeoutMs`. */
  timedOut: boolean;
  /** Stopped because the caller's `onLine` asked, not by a timeout or of its own accord. */
  stopped: boolean;
  durationMs: number;
}

export interface RunProcessOptions {
  cwd?: string;
  /** The child's whole environment (not merged into this process's). Default: this process's. */
  env?: NodeJS.ProcessEnv;
  /** Written to stdin, which is then closed; empty by default, so no child waits on it. */
  input?: string | Buffer;
  /** Hard bound: SIGTERM at this, SIGKILL `killGraceMs` later. Every run is bounded. */
  timeoutMs?: number;
  killGraceMs?: number;
  /** Each complete stdout line as it arrives; `stop()` ends the child (SIGTERM, then SIGKILL). */
  onLine?: (line: string, stop: () => void) => void;
}

const DEFAULT_TIMEOUT_MS = 30_000;

export async function runProcess(argv: readonly string[], o: RunProcessOptions = {}): Promise<ProcessResult> {
  const [file, ...args] = argv;
  if (file === undefined) throw new TypeError('runProcess: argv is empty');
  let stopped = false;
  let stop = () => undefined as void;
  const { onLine } = o;
  const child = execa(file, args, {
    reject: false,
    stripFinalNewline: false,
    extendEnv: false,
    env: o.env ?? process.env,
    input: o.input ?? '',
    timeout: o.timeoutMs ?? DEFAULT_TIMEOUT_MS,
    forceKillAfterDelay: o.killGraceMs ?? 2000,
    ...(o.cwd === undefined ? {} : { cwd: o.cwd }),
    // execa's line transform: each line is seen as it arrives and kept, newline and all, in stdout.
    ...(onLine
      ? {
          stdout: {
            *transform(line: unknown) {
              onLine(String(line), stop);
              yield line;
            },
          },
        }
      : {}),
  });
  stop = () => {
    if (stopped) return;
    stopped = true;
    child.kill('SIGTERM');
  };
  const r = await child;
  const startFailure = r.exitCode === undefined && r.signal === undefined && !r.timedOut && !stopped ? r.shortMessage : '';
  return {
    argv,
    code: r.exitCode ?? null,
    signal: r.signal ?? null,
    stdout: r.stdout,
    stderr: startFailure ? `${r.stderr}${startFailure}` : r.stderr,
    timedOut: r.timedOut,
    stopped,
    durationMs: Math.round(r.durationMs),
  };
}

/** One line for a failed run: the command, how it ended, and the last lines of its stderr. */
export function describeFailure(r: ProcessResult): string {
  const how = r.timedOut ? 'timed out' : r.signal ? `died of ${r.signal}` : `exited ${r.code ?? '(never started)'}`;
  const stderr = lastLines(r.stderr, 5);
  return `${r.argv.join(' ')} ${how} after ${r.durationMs} ms${stderr ? `: ${stderr}` : ''}`;
}

export const lastLines = (text: string, n = 3) => text.trim().split('\n').slice(-n).join(' | ');
