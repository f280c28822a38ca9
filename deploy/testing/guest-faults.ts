import { randomBytes } from 'node:crypto';
import { describeFailure } from './run-command.ts';
import { HOST_KEY_PATH, publicKeyOf } from './guest-provision.ts';
import type { Fault } from './network-faults.ts';
import type { Vps } from './vps-handle.ts';

/** Kills the per-connection sshd processes of the user: every live session drops, the listener stays. */
export async function killSshSessions(vps: Vps, signal: 'KILL' | 'TERM' = 'KILL'): Promise<number[]> {
  const found = await vps.exec(['pgrep', '-f', `^sshd: ${vps.user}`]);
  const pids = found.stdout.split('\n').filter(Boolean).map(Number);
  if (pids.length > 0) await vps.exec(['kill', `-${signal}`, ...pids.map(String)]);
  return pids;
}

// The guest's mounts are shared: the bind of the real dir is made private, or the tmpfs would propagate onto
// it too. No `mount --move` (refused under a shared parent). A failed step undoes the mounts made so far.
const FULL_DISK_SCRIPT = `set -eu
target=$1; dir=$2; free=$3
mkdir -p "$dir/under"
mount --bind "$target" "$dir/under"
mount --make-private "$dir/under"
back() { umount "$target" 2>/dev/null; umount "$dir/under"; rm -rf "$dir"; exit 1; }
mount -t tmpfs -o size=1g lp-full-disk "$target" || back
cp -a "$dir/under/." "$target/" || back
chown --reference="$dir/under" "$target" && chmod --reference="$dir/under" "$target" || back
used=$(df -B1 --output=used "$target" | tail -n 1 | tr -d ' ')
size=$(( (used + free + 4095) / 4096 * 4096 ))
[ "$size" -ge 4096 ] || size=4096
mount -o remount,size=$size "$target" || back
`;

// The disk's content survives the fault: what the deploy wrote while it was full is what stays.
const RESTORE_DISK_SCRIPT = `set -eu
target=$1; dir=$2
find "$dir/under" -mindepth 1 -maxdepth 1 -exec rm -rf {} +
cp -a "$target/." "$dir/under/"
umount "$target" || umount -l "$target"
umount "$dir/under" || umount -l "$dir/under"
rm -rf "$dir"
`;

/**
 * Makes a directory of the guest a full disk: a tmpfs with its current content, then shrunk so only
 * freeBytes (rounded up to a 4 KiB page) stay free. Writes beyond that fail with ENOSPC.
 * Processes whose cwd is inside the dir keep the old one. Runs in all the guest's namespaces: with the mount
 * namespace alone, /proc/self is missing and umount/df cannot read the mount table.
 */
export async function fullDisk(vps: Vps, guestDir: string, o: { freeBytes?: number } = {}): Promise<Fault> {
  const dir = `/run/lp-faults/${randomBytes(4).toString('hex')}`;
  const run = async (script: string, args: string[]): Promise<void> => {
    const r = await vps.exec(['/bin/sh', '-c', script, 'sh', guestDir, dir, ...args], { timeoutMs: 30_000 });
    if (r.code !== 0) throw new Error(`fullDisk ${guestDir} in ${vps.name}: ${describeFailure(r)}`);
  };
  await run(FULL_DISK_SCRIPT, [String(o.freeBytes ?? 0)]);
  let undone = false;
  return {
    name: `full-disk ${guestDir}`,
    undo: async () => {
      if (undone) return;
      undone = true;
      await run(RESTORE_DISK_SCRIPT, []);
    },
  };
}

/**
 * Permission denied on a path: `chattr +i` (immutable: even root and the owner cannot write, and the owner
 * cannot chmod it back) or `chmod a-w` (the owner could undo it).
 */
export async function denyWrite(vps: Vps, guestPath: string, how: 'chattr' | 'chmod' = 'chattr'): Promise<Fault> {
  let restore: string[];
  if (how === 'chattr') {
    await vps.execOk(['chattr', '+i', '--', guestPath]);
    restore = ['chattr', '-i', '--', guestPath];
  } else {
    const mode = (await vps.execOk(['stat', '-c', '%a', '--', guestPath])).trim();
    await vps.execOk(['chmod', 'a-w', '--', guestPath]);
    restore = ['chmod', mode, '--', guestPath];
  }
  let undone = false;
  return {
    name: `deny-write (${how}) ${guestPath}`,
    undo: async () => {
      if (undone) return;
      undone = true;
      await vps.execOk(restore);
    },
  };
}

/**
 * The guest gets a new host key and sshd restarts: a client pinned to vps.knownHostsLine must refuse.
 * Returns the new known_hosts line (the handle keeps the old, pinned one).
 */
export async function changeHostKey(vps: Vps): Promise<string> {
  await vps.execOk(['rm', '-f', HOST_KEY_PATH, `${HOST_KEY_PATH}.pub`]);
  await vps.execOk(['ssh-keygen', '-q', '-t', 'ed25519', '-N', '', '-C', `${vps.name}-changed`, '-f', HOST_KEY_PATH]);
  await vps.execOk(['systemctl', 'restart', 'ssh.service']);
  return `${vps.ip} ${publicKeyOf(await vps.execOk(['cat', `${HOST_KEY_PATH}.pub`]))}`;
}
