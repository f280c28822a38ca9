import { userInfo } from 'node:os';

/** Who runs deploy, for lock owners and records: $USER, else the passwd entry (cron and systemd unset $USER). */
export function localUserName(): string {
  if (process.env.USER) return process.env.USER;
  try {
    return userInfo().username;
  } catch {
    return `uid-${process.getuid?.() ?? 'unknown'}`;
  }
}
