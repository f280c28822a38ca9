import { revertTimerName } from '../remote/revert-timer.ts';
import { sudoCommandsFor } from '../setup/render-host-files.ts';

/**
 * The test VPSes grant the deploy user exactly what `deploy setup` prints and preflight requires: the
 * list comes from deploy's own sudoCommandsFor, so the harness cannot drift from it.
 */
export interface SudoRuleOptions {
  unit: string;
}

export const DEFAULT_UNIT = 'leakproof.service';
export const DEFAULT_REVERT_TIMER = 'leakproof-revert.timer';

/** deploy's derivation: `app.service` -> `app-revert.timer`. */
export const revertTimerFor = revertTimerName;

export function sudoCommands({ unit }: SudoRuleOptions): string[] {
  return sudoCommandsFor(unit);
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
