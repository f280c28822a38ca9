import { pinoMessage } from '../core/json-line.ts';
import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';

export interface ServiceChild {
  child: ChildProcess;
  /** The `msg` of every JSON log line so far, in order. */
  messages: string[];
  /** When each of `messages` arrived (Date.now()), index for index: timings that no poll interval rounds. */
  arrivedAt: number[];
  stderr(): string;
  exited: Promise<[number | null, NodeJS.Signals | null]>;
}

/**
 * Runs the service (`node ARGS`) with JSON logs and collects its messages; `kill` it when done. INVOCATION_ID
 * is cleared unless given, so a test run inside a systemd unit (a CI runner) starts like one from a shell.
 */
export function spawnService(args: string[], o: { cwd: string; env?: Record<string, string> }): ServiceChild {
  const child = spawn(process.execPath, args, { cwd: o.cwd, env: { ...process.env, LEAKPROOF_CONFIG: '', INVOCATION_ID: '', ...o.env }, stdio: ['ignore', 'pipe', 'pipe'] });
  const messages: string[] = [];
  const arrivedAt: number[] = [];
  let err = '';
  let buffered = '';
  child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
    buffered += chunk;
    const lines = buffered.split('\n');
    buffered = lines.pop() ?? '';
    const now = Date.now();
    for (const line of lines) {
      messages.push(pinoMessage(line));
      arrivedAt.push(now);
    }
  });
  child.stderr.setEncoding('utf8').on('data', (chunk: string) => (err += chunk));
  const exited = once(child, 'exit') as Promise<[number | null, NodeJS.Signals | null]>;
  return { child, messages, arrivedAt, stderr: () => err, exited };
}

export async function waitFor<T>(what: string, probe: () => T | undefined | Promise<T | undefined>, timeoutMs: number): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

/** Kills what is still running; for `afterEach`. */
export function killAll(children: ServiceChild[]): void {
  for (const { child: c } of children.splice(0)) if (c.exitCode === null && c.signalCode === null) c.kill('SIGKILL');
}
