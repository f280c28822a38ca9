/**
 * The exact commands the deploy user may run as root, as data. The deploy engineer owns the final list;
 * `deploy setup` prints the same lines for a human admin. Globs and shells are never allowed here.
 */
export interface SudoRuleOptions {
  unit: string;
  revertTimer: string;
}

export const DEFAULT_UNIT = 'leakproof.service';
export const DEFAULT_REVERT_TIMER = 'leakproof-revert.timer';

/** Same derivation as deploy/remote/revert-timer.ts: `app.service` -> `app-revert.timer`. */
export function revertTimerFor(unit: string): string {
  return `${unit.replace(/\.service$/, '')}-revert.timer`;
}

export function sudoCommands({ unit, revertTimer }: SudoRuleOptions): string[] {
  return [
    `/usr/bin/systemctl restart ${unit}`,
    `/usr/bin/systemctl start ${revertTimer}`,
    `/usr/bin/systemctl stop ${revertTimer}`,
  ];
}

const UNIT_RE = /^[A-Za-z0-9@._-]+\.(service|timer)$/;
const CMD_RE = /^\/[^\s*?[\]\\,:=]+( [^*?[\]\\,:=]+)*$/;

export function renderSudoers(user: string, commands: string[]): string {
  if (!/^[a-z_][a-z0-9_-]*$/.test(user)) throw new Error(`sudoers user: not a plain user name: ${JSON.stringify(user)}`);
  for (const c of commands) {
    if (!CMD_RE.test(c)) throw new Error(`sudoers command: must be an absolute path with literal args, no globs or sudoers metacharacters: ${JSON.stringify(c)}`);
  }
  return commands.map((c) => `${user} ALL=(root) NOPASSWD: ${c}\n`).join('');
}

export function assertUnitName(field: string, unit: string): void {
  if (!UNIT_RE.test(unit)) throw new Error(`${field}: not a systemd unit name: ${JSON.stringify(unit)}`);
}
