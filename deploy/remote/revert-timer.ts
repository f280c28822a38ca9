import { HOST_OPS, hostToolCommand } from './host-tool.ts';
import { parseHostReply } from './host-replies.ts';
import { asRoot } from './privilege.ts';
import type { RemoteShell } from './ssh-session.ts';
import { sh, shQuote } from './sh-quote.ts';
import { sudoSystemctl, unitStatus } from './unit-status.ts';
import type { Clock } from '../../app/core/clock.ts';

const revertUnit = (service: string, type: 'timer' | 'service') => `${service.replace(/\.service$/, '')}-revert.${type}`;
export const revertTimerName = (service: string) => revertUnit(service, 'timer');
export const deadlinePath = (appDir: string) => `${appDir}/backups/deadline`;
const pendingPath = (appDir: string) => `${appDir}/backups/pending.json`;

/**
 * A host-side test that `releaseId` is still the pending change. New bytes go live (rename, restart) only
 * behind it: once the timer has reverted a change (its deadline passed during a partition or a clock
 * jump), the deploy that armed it must not put its files back in service with nothing pending.
 */
export const pendingGuard = (appDir: string, releaseId: string) => ({
  test: `grep -qF ${shQuote(`"releaseId":${JSON.stringify(releaseId)}`)} ${shQuote(pendingPath(appDir))}`,
  refused: `${releaseId} is not pending any more (the host's revert fired): not going live`,
});

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

/**
 * Runs a dead deployer's pending revert through the timer itself (deadline now, timer started), so the
 * restore and the restart happen together as root on the host; then waits until nothing is pending.
 */
export async function expireAndWait(shell: RemoteShell, appDir: string, service: string, clock: Clock, timeoutMs = 30_000): Promise<{ ok: boolean; reason: string }> {
  const res = await shell.exec(`${hostToolCommand(HOST_OPS.expire, appDir)} && ${asRoot('/usr/bin/systemctl', 'start', revertTimerName(service))}`, { timeoutMs: 60_000 });
  if (res.failure || res.code !== 0) return { ok: false, reason: `expire the pending revert: ${res.failure ?? (res.stderr.trim() || res.stdout.trim())}` };
  const started = clock.now();
  while (clock.now() - started < timeoutMs) {
    await clock.sleep(1_000);
    const left = await shell.exec(`test -e ${shQuote(pendingPath(appDir))} && echo pending`, { timeoutMs: 15_000 });
    if (left.failure) return { ok: false, reason: `waiting for the revert: ${left.failure}` };
    if (!left.stdout.includes('pending')) return { ok: true, reason: '' };
  }
  const log = await shell.exec(sh('journalctl', '-u', revertUnit(service, 'service'), '-n', '20', '-o', 'cat', '--no-pager'), { timeoutMs: 15_000 });
  const why = log.stdout.split('\n').reverse().find((l) => l.includes('"error"') || l.includes('failed')) ?? 'no reason in its journal';
  return { ok: false, reason: `the revert timer has not settled it after ${timeoutMs} ms (last: ${why.trim()}); the timer stays armed and retries` };
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
