import type { RemoteShell } from '../remote/ssh-session.ts';
import { sh } from '../remote/sh-quote.ts';

const NO_SPACE = /ENOSPC|no space left on device/i;
/** SFTP reports a full disk as a bare "Failure" (SSH_FX_FAILURE, code 4): only `df` can tell. */
const GENERIC_WRITE_FAILURE = /Failure \(code 4\)|write error|cannot create|Input\/output error/i;
const FULL_BELOW_KB = 1024;

/**
 * A step's failure reason, led by "no space left on device on H at step S" when the disk is why: said
 * outright (ENOSPC) or, for a generic write failure, shown by `df` on the app dir.
 */
export async function whereDiskFull(shell: RemoteShell, t: { name: string; appDir: string }, step: string, reason: string): Promise<string> {
  const lead = `no space left on device on ${t.name} at step ${step}`;
  if (reason.startsWith(lead)) return reason;
  if (NO_SPACE.test(reason)) return `${lead}: ${reason}`;
  if (!GENERIC_WRITE_FAILURE.test(reason) || shell.isClosed()) return reason;
  const df = await shell.exec(sh('df', '-Pk', '--', t.appDir), { timeoutMs: 15_000 });
  const freeKb = Number(df.stdout.trim().split('\n')[1]?.split(/\s+/)[3]);
  return df.code === 0 && Number.isFinite(freeKb) && freeKb < FULL_BELOW_KB ? `${lead} (${freeKb} KB free): ${reason}` : reason;
}
