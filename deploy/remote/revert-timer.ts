import type { RemoteShell } from './ssh-session.ts';
import { shQuote } from './sh-quote.ts';
import { sudoSystemctl } from './unit-status.ts';

export const revertTimerName = (service: string) => `${service.replace(/\.service$/, '')}-revert.timer`;
export const deadlinePath = (appDir: string) => `${appDir}/backups/deadline`;
const pendingPath = (appDir: string) => `${appDir}/backups/pending.json`;

/**
 * Arms confirm-or-revert: the deadline (host clock) and the pending backup id are written first, then
 * the root-owned timer starts. If this process dies, the timer restores the backup once the deadline
 * passes; the heartbeat pushes it forward while we still prove and watch.
 */
export async function armRevert(shell: RemoteShell, appDir: string, service: string, releaseId: string, windowMs: number): Promise<{ ok: boolean; reason: string }> {
  const d = deadlinePath(appDir);
  const p = pendingPath(appDir);
  const script = `echo $(( $(date +%s%3N) + ${Math.round(windowMs)} )) > ${shQuote(`${d}.tmp`)} && mv -f ${shQuote(`${d}.tmp`)} ${shQuote(d)} && cat > ${shQuote(`${p}.tmp`)} && mv -f ${shQuote(`${p}.tmp`)} ${shQuote(p)}`;
  const res = await shell.exec(script, { stdin: JSON.stringify({ releaseId }) });
  if (res.failure || res.code !== 0) return { ok: false, reason: `arm revert: ${res.failure ?? res.stderr.trim()}` };
  return sudoSystemctl(shell, 'start', revertTimerName(service));
}

/** Confirms: drop the pending marker first (so a tick in between is a no-op), then stop the timer. */
export async function disarmRevert(shell: RemoteShell, appDir: string, service: string): Promise<{ ok: boolean; reason: string }> {
  const res = await shell.exec(`rm -f -- ${shQuote(pendingPath(appDir))} ${shQuote(deadlinePath(appDir))}`);
  if (res.failure || res.code !== 0) return { ok: false, reason: `disarm revert: ${res.failure ?? res.stderr.trim()}` };
  return sudoSystemctl(shell, 'stop', revertTimerName(service));
}
