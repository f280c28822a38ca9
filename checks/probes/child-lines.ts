import { lastLines, runProcess, type ProcessResult } from '../../app/core/run-process.ts';
import { z } from 'zod';
import { parseJsonLine } from '../../app/core/json-line.ts';

export { lastLines };

export interface ChildRun extends ProcessResult {
  /** pino's `msg` of each JSON line on stdout; other lines as they are. */
  messages: string[];
  /** Stopped by the probe once `settled` held for its grace. */
  settledStop: boolean;
}

/**
 * Runs a node child until `done(messages)` says so (then SIGTERM, SIGKILL after a grace), it exits,
 * `timeoutMs` passes, or `graceMs` passes once `settled(messages)` first holds (the child is up, so what has
 * not appeared by then will not). Bounded in time whatever the child does; the child is never left running.
 */
export async function runChild(
  args: readonly string[],
  o: {
    cwd: string;
    env: NodeJS.ProcessEnv;
    timeoutMs: number;
    done?: (messages: readonly string[]) => boolean;
    settled?: { when: (messages: readonly string[]) => boolean; graceMs: number };
  },
): Promise<ChildRun> {
  const messages: string[] = [];
  let settledStop = false;
  let grace: NodeJS.Timeout | undefined;
  const r = await runProcess([process.execPath, ...args], {
    cwd: o.cwd,
    env: o.env,
    timeoutMs: o.timeoutMs,
    onLine: (line, stop) => {
      messages.push(messageOf(line));
      if (o.done?.(messages)) stop();
      else if (!grace && o.settled?.when(messages))
        grace = setTimeout(() => {
          settledStop = true;
          stop();
        }, o.settled.graceMs);
    },
  });
  clearTimeout(grace);
  return { ...r, messages, settledStop };
}

const PinoLine = z.object({ msg: z.string() });
const messageOf = (line: string): string => parseJsonLine(line, PinoLine)?.msg ?? line;
