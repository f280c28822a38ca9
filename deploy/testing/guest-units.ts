import { assertUnitName } from './sudoers-rules.ts';
import type { Vps } from './vps-handle.ts';

export interface GuestFileOptions {
  mode?: string;
  /** `user` or `user:group`; default root. */
  owner?: string;
}

/** Writes a file in the guest as root (any path: it travels as an argv, the content on stdin). */
export async function writeGuestFile(vps: Vps, guestPath: string, content: string | Buffer, o: GuestFileOptions = {}): Promise<void> {
  await vps.execOk(['/bin/sh', '-c', 'mkdir -p -- "$(dirname -- "$1")" && cat > "$1"', 'sh', guestPath], { input: content });
  await vps.execOk(['chmod', o.mode ?? '0644', '--', guestPath]);
  await vps.execOk(['chown', o.owner ?? 'root:root', '--', guestPath]);
}

export interface ServiceUnitSpec {
  description: string;
  execStart: string;
  user?: string;
  workingDirectory?: string;
  restart?: 'no' | 'on-failure' | 'always';
  environmentFile?: string;
}

/** A plain `Type=simple` service: enough for tests that need something to restart and log. */
export function simpleServiceUnit(s: ServiceUnitSpec): string {
  const lines = ['[Unit]', `Description=${s.description}`, '', '[Service]', 'Type=simple', `ExecStart=${s.execStart}`];
  if (s.user) lines.push(`User=${s.user}`);
  if (s.workingDirectory) lines.push(`WorkingDirectory=${s.workingDirectory}`);
  if (s.environmentFile) lines.push(`EnvironmentFile=${s.environmentFile}`);
  lines.push(`Restart=${s.restart ?? 'no'}`, 'RestartSec=200ms', '', '[Install]', 'WantedBy=multi-user.target', '');
  return lines.join('\n');
}

/** Pre-seeds a systemd unit into the guest (what `deploy setup` does for real over ssh). */
export async function installUnit(vps: Vps, name: string, content: string, o: { start?: boolean; enable?: boolean } = {}): Promise<void> {
  assertUnitName('installUnit name', name);
  await writeGuestFile(vps, `/etc/systemd/system/${name}`, content);
  await vps.execOk(['systemctl', 'daemon-reload']);
  if (o.enable) await vps.execOk(['systemctl', 'enable', name]);
  if (o.start) await vps.execOk(['systemctl', 'start', name]);
}

/**
 * Polls a shell condition inside the guest until it holds (true) or the bound passes (false): for timing a
 * fault mid-operation, e.g. "a temp upload file exists".
 */
export async function waitInGuest(vps: Vps, condition: string, o: { timeoutMs?: number; intervalMs?: number } = {}): Promise<boolean> {
  const timeoutMs = o.timeoutMs ?? 10_000;
  const intervalMs = o.intervalMs ?? 20;
  const deadline = Date.now() + timeoutMs;
  for (let i = 0; i < Math.ceil(timeoutMs / intervalMs) + 1 && Date.now() < deadline; i++) {
    const r = await vps.exec(condition, { timeoutMs: Math.max(100, deadline - Date.now()) });
    if (r.code === 0) return true;
    await new Promise((res) => setTimeout(res, intervalMs));
  }
  return false;
}
