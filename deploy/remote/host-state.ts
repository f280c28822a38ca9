import type { HostState } from '../releases/host-invariant.ts';
import { HOST_OPS, hostTool, type ToolResult } from './host-tool.ts';
import { revertTimerName } from './revert-timer.ts';
import type { RemoteShell } from './ssh-session.ts';
import { sh } from './sh-quote.ts';

/** `ExecMainStartTimestamp` as `systemctl show --timestamp=us+utc` prints it, in epoch ms; NaN when unset. */
export function parseUtcTimestamp(text: string): number {
  const m = /(\d{4}-\d\d-\d\d) (\d\d:\d\d:\d\d)(\.\d+)? UTC/.exec(text);
  return m ? Date.parse(`${m[1] ?? ''}T${m[2] ?? ''}${(m[3] ?? '').slice(0, 4)}Z`) : Number.NaN;
}

/**
 * The host as the invariant sees it: the host tool's view of records, pending change, disk and store,
 * plus systemd's: the timer, and whether every app unit is up and started after the release files last
 * changed (then it runs the bytes on disk; otherwise none that the record can vouch for).
 */
export async function readHostState(shell: RemoteShell, t: { appDir: string; service: string }, units: readonly string[]): Promise<ToolResult<HostState>> {
  const tool = await hostTool(shell, HOST_OPS.state, t.appDir);
  if (!tool.ok) return tool;
  const timer = await shell.exec(sh('systemctl', 'is-active', revertTimerName(t.service)), { timeoutMs: 15_000 });
  const show = await shell.exec(sh('systemctl', 'show', '--timestamp=us+utc', '-p', 'ActiveState', '-p', 'ExecMainStartTimestamp', ...units), { timeoutMs: 15_000 });
  if (timer.failure || show.failure || show.code !== 0) return { ok: false, reason: `systemctl: ${timer.failure ?? show.failure ?? show.stderr.trim()}` };
  const v = tool.value;
  const blocks = show.stdout.split(/\n\s*\n/).filter((b) => b.trim());
  const upToDate = blocks.length === units.length && blocks.every((b) => /^ActiveState=active$/m.test(b) && parseUtcTimestamp(/^ExecMainStartTimestamp=(.*)$/m.exec(b)?.[1] ?? '') >= Math.floor(v.changedAt));
  const disk = new Map(v.disk.map((d) => [d.path, d.sha256]));
  return {
    ok: true,
    value: { records: v.records, pending: v.pending, timerArmed: timer.stdout.trim() === 'active', disk, running: upToDate ? disk : null, objects: new Set(v.objects) },
  };
}
