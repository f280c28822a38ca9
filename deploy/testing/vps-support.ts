import { accessSync, constants, readFileSync } from 'node:fs';
import { spawnSync } from 'node:child_process';

export type VpsSupport = { ok: true } | { ok: false; reason: string };

/** Host tools the harness drives; the guest is an overlay of this host, so they are the guest's too. */
const REQUIRED_TOOLS = ['systemd-nspawn', 'nsenter', 'ip', 'iptables', 'tc', 'ssh', 'ssh-keygen', 'sshd', 'sudo', 'visudo', 'mount', 'umount', 'chattr'];
const TOOL_DIRS = ['/usr/local/sbin', '/usr/local/bin', '/usr/sbin', '/usr/bin', '/sbin', '/bin'];

function hasTool(tool: string): boolean {
  return TOOL_DIRS.some((d) => {
    try {
      accessSync(`${d}/${tool}`, constants.X_OK);
      return true;
    } catch {
      return false;
    }
  });
}

export type VpsGate = { action: 'run' } | { action: 'fail' | 'skip'; message: string };

/** CI must never silently skip the real-host tests; a laptop without the parts skips them loudly. */
export function vpsGate(support: VpsSupport, env: NodeJS.ProcessEnv): VpsGate {
  if (support.ok) return { action: 'run' };
  if (env.CI === 'true') return { action: 'fail', message: `VPS tests cannot run on this CI host: ${support.reason}` };
  return { action: 'skip', message: `SKIPPING VPS tests: ${support.reason}` };
}

let cached: VpsSupport | undefined;

/** Detects, without side effects beyond `ip netns list`, whether this machine can boot test VPSes. */
export function requireVpsSupport(): VpsSupport {
  cached ??= detect();
  return cached;
}

function detect(): VpsSupport {
  if (process.platform !== 'linux') return { ok: false, reason: `needs Linux, this is ${process.platform}` };
  if (process.getuid?.() !== 0) return { ok: false, reason: 'needs root (mount, netns, nspawn)' };
  const missing = REQUIRED_TOOLS.filter((t) => !hasTool(t));
  if (missing.length > 0) {
    return { ok: false, reason: `missing ${missing.join(', ')} (apt-get install openssh-server sudo systemd-container iptables iproute2 e2fsprogs)` };
  }
  if (!/\toverlay$/m.test(readFileSync('/proc/filesystems', 'utf8'))) return { ok: false, reason: 'the kernel has no overlay filesystem' };
  const netns = spawnSync('ip', ['netns', 'list'], { timeout: 5_000, encoding: 'utf8' });
  if (netns.status !== 0) return { ok: false, reason: `ip netns does not work: ${netns.stderr.trim() || netns.error?.message}` };
  return { ok: true };
}
