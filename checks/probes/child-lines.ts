import { spawn as nodeSpawn, type SpawnOptions } from 'node:child_process';

export type Spawn = typeof nodeSpawn;

export interface ChildRun {
  /** pino's `msg` of each JSON line on stdout; other lines as they are. */
  messages: string[];
  stderr: string;
  exit: { code: number | null; signal: NodeJS.Signals | null } | undefined;
  timedOut: boolean;
  /** Stopped by the probe once `settled` held for its grace. */
  settledStop: boolean;
}

/**
 * Runs a node child until `done(messages)` says so (then SIGTERM, SIGKILL after a grace), it exits,
 * `timeoutMs` passes, or `graceMs` passes once `settled(messages)` first holds (the child is up, so what has
 * not appeared by then will not). Bounded in time whatever the child does; the child is never left running.
 */
export function runChild(
  args: readonly string[],
  o: {
    cwd: string;
    env: NodeJS.ProcessEnv;
    timeoutMs: number;
    done?: (messages: readonly string[]) => boolean;
    settled?: { when: (messages: readonly string[]) => boolean; graceMs: number };
    spawn?: Spawn;
  },
): Promise<ChildRun> {
  const opts: SpawnOptions = { cwd: o.cwd, env: o.env, stdio: ['ignore', 'pipe', 'pipe'] };
  const child = (o.spawn ?? nodeSpawn)(process.execPath, [...args], opts);
  const run: ChildRun = { messages: [], stderr: '', exit: undefined, timedOut: false, settledStop: false };
  let buffered = '';
  const stop = () => {
    if (child.exitCode !== null || child.signalCode !== null) return;
    child.kill('SIGTERM');
    setTimeout(() => child.kill('SIGKILL'), 2000).unref();
  };
  const timer = setTimeout(() => {
    run.timedOut = true;
    stop();
  }, o.timeoutMs);
  let grace: NodeJS.Timeout | undefined;
  child.stdout?.setEncoding('utf8').on('data', (chunk: string) => {
    buffered += chunk;
    const lines = buffered.split('\n');
    buffered = lines.pop() ?? '';
    for (const line of lines) run.messages.push(messageOf(line));
    if (o.done?.(run.messages)) stop();
    else if (!grace && o.settled?.when(run.messages)) grace = setTimeout(() => {
        run.settledStop = true;
        stop();
      }, o.settled.graceMs);
  });
  child.stderr?.setEncoding('utf8').on('data', (chunk: string) => void (run.stderr += chunk));
  return new Promise((resolve) => {
    child.on('error', (err) => {
      run.stderr += String(err);
    });
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      clearTimeout(grace);
      run.exit = { code, signal };
      resolve(run);
    });
  });
}

function messageOf(line: string): string {
  try {
    const parsed = JSON.parse(line) as { msg?: unknown };
    return typeof parsed.msg === 'string' ? parsed.msg : line;
  } catch {
    return line;
  }
}

export const lastLines = (text: string, n = 3) => text.trim().split('\n').slice(-n).join(' | ');
