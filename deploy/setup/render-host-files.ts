import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { revertTimerName } from '../remote/revert-timer.ts';
import { shQuote } from '../remote/sh-quote.ts';
import { unitName } from '../remote/unit-status.ts';

const hostDir = fileURLToPath(new URL('../host/', import.meta.url));
export const HOST_TOOL_SOURCE = `${hostDir}leakproof-host.mjs`;

export interface HostFileParams {
  user: string;
  appDir: string;
  service: string;
  memoryMax: string;
}

/** systemd expands `%` specifiers in unit values; a literal `%` in a path must be doubled. */
const unitValue = (v: string) => v.replace(/%/g, '%%');

function fill(template: string, vars: Record<string, string>): string {
  return template.replace(/\{\{(\w+)\}\}/g, (_, k: string) => {
    const v = vars[k];
    if (v === undefined) throw new Error(`template: no value for {{${k}}}`);
    return v;
  });
}

/** The unit, the revert service/timer and the revert script, keyed by their install path. */
export async function renderHostFiles(p: HostFileParams): Promise<Record<string, string>> {
  const base = p.service.replace(/\.service$/, '');
  const unit = unitName(p.service);
  const timer = revertTimerName(p.service);
  const revertScript = `/usr/local/lib/leakproof/revert-${base}.sh`;
  const t = async (name: string) => readFile(`${hostDir}${name}`, 'utf8');
  return {
    [`/etc/systemd/system/${unit}`]: fill(await t('app.service.template'), { service: base, user: p.user, appDir: unitValue(p.appDir), memoryMax: p.memoryMax }),
    [`/etc/systemd/system/${base}-revert.service`]: fill(await t('revert.service.template'), { service: base, revertScript }),
    [`/etc/systemd/system/${timer}`]: fill(await t('revert.timer.template'), { service: base }),
    [revertScript]: fill(await t('revert.sh.template'), { user: shQuote(p.user), appDir: shQuote(p.appDir), unit: shQuote(unit), timer: shQuote(timer) }),
  };
}

/**
 * The one list of root commands the deploy user may run: exact commands, no globs, no shells. Setup
 * prints it, preflight checks it, and the test VPSes grant it (deploy/testing/sudoers-rules.ts).
 */
export function sudoCommandsFor(service: string): string[] {
  const unit = unitName(service);
  const timer = revertTimerName(service);
  return [`/usr/bin/systemctl restart ${unit}`, `/usr/bin/systemctl start ${timer}`, `/usr/bin/systemctl stop ${timer}`];
}

/** The sudoers lines `deploy setup` prints for the admin. */
export function sudoersLines(user: string, service: string): string[] {
  return sudoCommandsFor(service).map((c) => `${user} ALL=(root) NOPASSWD: ${c}`);
}
