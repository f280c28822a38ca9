import { HOST_OPS, hostToolCommand } from './host-tool.ts';
import { parseHostReply } from './host-replies.ts';
import { asRoot } from './privilege.ts';
import type { RemoteShell } from './ssh-session.ts';
import { shQuote } from './sh-quote.ts';
import { sudoSystemctl, unitStatus } from './unit-status.ts';
import type { Clock } from '../../app/core/clock.ts';

const revertUnit = (service: string, type: 'timer' | 'service') => `${service.replace(/\.service$/, '')}-revert.${type}`;
export const revertTimerName = (service: string) => revertUnit(service, 'timer');
export const deadlinePath = (appDir: string) => `${appDir}/backups/deadline`;
const pendingPath = (appDir: string) => `${appDir}/backups/pending.json`;

/** Exit code of the arm command line when the marker is written but the timer did not start. */
const TIMER_NOT_STARTED = 20;

/** Marker and deadline (from argv only), then the timer, in one host-side command line. */
export const armCommand = (appDir: string, service: string, releaseId: string, windowMs: number): string =>
  `${hostToolCommand(HOST_OPS.arm, appDir, releaseId, String(Math.round(windowMs)))} && { ${asRoot('/usr/bin/systemctl', 'start', revertTimerName(service))} || exit ${TIMER_NOT_STARTED}; }`;

/**
 * Arms confirm-or-revert: the deadline (host clock) and the pending backup id, then the root-owned timer.
 * If this process dies, the timer restores the backup once the deadline passes; the heartbeat pushes it
 * forward while we still prove and watch. A command line a killed deploy already sent keeps running on
 * the host, so it takes nothing from stdin (it used to `cat` the marker from stdin, and a deploy killed
 * before sending it left an empty marker no heal could read) and starts the timer itself: the host ends
 * either untouched or fully armed.
 */
export async function armRevert(shell: RemoteShell, appDir: string, service: string, releaseId: string, windowMs: number): Promise<{ ok: boolean; reason: string }> {
  const res = await shell.exec(armCommand(appDir, service, releaseId, windowMs), { timeoutMs: 60_000 });
  if (res.failure) return { ok: false, reason: `arm revert: ${res.failure}` };
  if (res.code === TIMER_NOT_STARTED) return { ok: false, reason: `arm revert: systemctl start ${revertTimerName(service)}: ${res.stderr.trim() || 'failed'}` };
  const reply = parseHostReply('arm revert', HOST_OPS.arm.reply, res.code, res.stdout, res.stderr);
  return reply.ok ? { ok: true, reason: '' } : reply;
}

/** Confirms: drop the pending marker first (so a tick in between is a no-op), then stop the timer. */
export async function disarmRevert(shell: RemoteShell, appDir: string, service: string): Promise<{ ok: boolean; reason: string }> {
  const res = await shell.exec(`rm -f -- ${shQuote(pendingPath(appDir))} ${shQuote(deadlinePath(appDir))}`);
  if (res.failure || res.code !== 0) return { ok: false, reason: `disarm revert: ${res.failure ?? res.stderr.trim()}` };
  return sudoSystemctl(shell, 'stop', revertTimerName(service));
}

/**
 * Waits for a revert the host timer is running right now to finish. It takes no lock (the deploy it
 * heals is dead), so a deploy that went on beside it would have its restart merged into the revert's
 * and its freshly started timer stopped by the revert's last command.
 */
export async function revertRunSettled(shell: RemoteShell, service: string, clock: Clock, timeoutMs = 60_000): Promise<{ ok: boolean; reason: string; waitedMs: number }> {
  const unit = revertUnit(service, 'service');
  const started = clock.now();
  for (let i = 0; i < Math.ceil(timeoutMs / 500) + 1; i += 1) {
    const s = await unitStatus(shell, unit);
    if (!s.ok) return { ok: false, reason: `${unit}: ${s.reason}`, waitedMs: clock.now() - started };
    const state = s.status.activeState;
    if (state !== 'activating' && state !== 'deactivating') return { ok: true, reason: '', waitedMs: clock.now() - started };
    if (clock.now() - started >= timeoutMs) break;
    await clock.sleep(500);
  }
  return { ok: false, reason: `the host's revert (${unit}) was still running after ${timeoutMs} ms`, waitedMs: clock.now() - started };
}
