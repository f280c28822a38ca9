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
export async function hostTool<S extends z.ZodType>(shell: RemoteShell, op: HostOp<S>, appDir: string, arg?: string, stdin?: unknown): Promise<ToolResult<z.output<S>>> {
  const res = await shell.exec(hostToolCommand(op, appDir, ...(arg === undefined ? [] : [arg])), { stdin: stdin === undefined ? undefined : JSON.stringify(stdin), timeoutMs: 120_000 });
  if (res.failure) return { ok: false, reason: `${op.name}: ${res.failure}` };
  return parseHostReply(op.name, op.reply, res.code, res.stdout, res.stderr);
}
