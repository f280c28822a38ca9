import type { RemoteShell } from './ssh-session.ts';
import { sh } from './sh-quote.ts';

/** Where `deploy setup` installs the host helper (root-owned, not writable by the deploy user). */
export const HOST_TOOL = '/usr/local/lib/leakproof/leakproof-host.mjs';

export type ToolResult<T> = { ok: true; value: T } | { ok: false; reason: string };

/** Runs one host-tool operation; its stdout is one JSON object, `{error}` on failure. */
export async function hostTool<T>(shell: RemoteShell, op: string, appDir: string, arg?: string, stdin?: unknown): Promise<ToolResult<T>> {
  const words = ['node', HOST_TOOL, op, appDir, ...(arg === undefined ? [] : [arg])];
  const res = await shell.exec(sh(...words), { stdin: stdin === undefined ? undefined : JSON.stringify(stdin), timeoutMs: 120_000 });
  if (res.failure) return { ok: false, reason: `${op}: ${res.failure}` };
  let parsed: unknown;
  try {
    parsed = JSON.parse(res.stdout.trim().split('\n').pop() ?? '');
  } catch {
    return { ok: false, reason: `${op}: exit ${String(res.code)}: ${(res.stderr || res.stdout).trim().slice(0, 300)}` };
  }
  if (res.code !== 0) {
    const err = (parsed as { error?: string; code?: string }) ?? {};
    return { ok: false, reason: `${op}: ${err.error ?? `exit ${String(res.code)}`}${err.code ? ` (${err.code})` : ''}` };
  }
  return { ok: true, value: parsed as T };
}
