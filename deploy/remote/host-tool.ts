import type { z } from 'zod';
import { parseHostReply, type HostOp, type ToolResult } from './host-replies.ts';
import type { RemoteShell } from './ssh-session.ts';
import { sh } from './sh-quote.ts';

export { HOST_OPS, type ToolResult } from './host-replies.ts';

/** Where `deploy setup` installs the host helper (root-owned, not writable by the deploy user). */
export const HOST_TOOL = '/usr/local/lib/leakproof/leakproof-host.mjs';

/** The command line of one host-tool operation. */
export const hostToolCommand = (op: HostOp, appDir: string, ...args: string[]) => sh('node', HOST_TOOL, op.name, appDir, ...args);

/** Runs one host-tool operation; its stdout is one JSON object (validated by the op's schema), `{error}` on failure. */
export async function hostTool<S extends z.ZodType>(shell: RemoteShell, op: HostOp<S>, appDir: string, arg?: string, stdin?: unknown, guard?: { test: string; refused: string }): Promise<ToolResult<z.output<S>>> {
  const command = hostToolCommand(op, appDir, ...(arg === undefined ? [] : [arg]));
  const res = await shell.exec(guard ? `{ ${guard.test} || exit 99; } && ${command}` : command, { stdin: stdin === undefined ? undefined : JSON.stringify(stdin), timeoutMs: 120_000 });
  if (res.failure) return { ok: false, reason: `${op.name}: ${res.failure}` };
  if (guard && res.code === 99) return { ok: false, reason: `${op.name}: ${guard.refused}` };
  return parseHostReply(op.name, op.reply, res.code, res.stdout, res.stderr);
}
