import { HOST_TOOL } from './host-tool.ts';
import type { RemoteShell } from './ssh-session.ts';
import { sh } from './sh-quote.ts';

/**
 * Read-only: is this a host `deploy setup` prepared, and is `appDir` its app dir? Said before any lock
 * or preflight, so a typo in --app-dir is not reported as "lock held" or "package-lock differs".
 */
export async function checkAppDir(shell: RemoteShell, appDir: string, setupHint: string): Promise<{ ok: true } | { ok: false; reason: string }> {
  const r = await shell.exec(
    `if ! ${sh('test', '-e', HOST_TOOL)}; then echo no-tool; elif ! ${sh('test', '-d', appDir)}; then echo no-dir; elif ! ${sh('test', '-f', `${appDir}/releases.jsonl`)}; then echo not-app; else echo ok; fi`,
    { timeoutMs: 15_000 },
  );
  const verdict = r.stdout.trim();
  if (r.failure || r.code !== 0) return { ok: false, reason: `app dir check: ${r.failure ?? r.stderr.trim()}` };
  if (verdict === 'no-tool') return { ok: false, reason: `not set up: run \`${setupHint}\` first (${HOST_TOOL} is missing)` };
  if (verdict === 'no-dir') return { ok: false, reason: `app dir ${appDir} does not exist (check --app-dir)` };
  if (verdict === 'not-app') return { ok: false, reason: `${appDir} is not a leakproof app dir (no releases.jsonl; check --app-dir)` };
  return { ok: true };
}
