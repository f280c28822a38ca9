import { spawn } from 'node:child_process';

export interface CommandResult {
  argv: string[];
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
  timedOut: boolean;
  durationMs: number;
}

export interface RunOptions {
  input?: string | Buffer;
  /** Hard bound: the child is SIGKILLed after this. Every harness call is bounded. */
  timeoutMs?: number;
  env?: NodeJS.ProcessEnv;
}

const DEFAULT_TIMEOUT_MS = 30_000;

export function runCommand(argv: string[], options: RunOptions = {}): Promise<CommandResult> {
  const [file, ...args] = argv;
  if (file === undefined) return Promise.reject(new Error('runCommand: argv is empty'));
  const started = Date.now();
  return new Promise((resolve) => {
    const child = spawn(file, args, { stdio: ['pipe', 'pipe', 'pipe'], env: options.env ?? process.env });
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      child.kill('SIGKILL');
    }, options.timeoutMs ?? DEFAULT_TIMEOUT_MS);
    child.stdout.on('data', (b: Buffer) => out.push(b));
    child.stderr.on('data', (b: Buffer) => err.push(b));
    // EPIPE on stdin when the child exits early is not an error of interest: the exit code tells.
    child.stdin.on('error', () => undefined);
    const finish = (code: number | null, signal: NodeJS.Signals | null, extraErr = ''): void => {
      clearTimeout(timer);
      resolve({
        argv,
        code,
        signal,
        stdout: Buffer.concat(out).toString('utf8'),
        stderr: Buffer.concat(err).toString('utf8') + extraErr,
        timedOut,
        durationMs: Date.now() - started,
      });
    };
    child.on('error', (e) => finish(null, null, String(e)));
    child.on('close', (code, signal) => finish(code, signal));
    child.stdin.end(options.input ?? '');
  });
}

/** For harness setup steps: a failure here means the test host is broken, so it throws with the evidence. */
export async function mustRun(argv: string[], options: RunOptions = {}): Promise<CommandResult> {
  const r = await runCommand(argv, options);
  if (r.code !== 0) throw new Error(describeFailure(r));
  return r;
}

export function describeFailure(r: CommandResult): string {
  const how = r.timedOut ? 'timed out' : r.signal ? `died of ${r.signal}` : `exited ${r.code}`;
  const stderr = r.stderr.trim().split('\n').slice(-5).join(' | ');
  return `${r.argv.join(' ')} ${how} after ${r.durationMs} ms${stderr ? `: ${stderr}` : ''}`;
}
