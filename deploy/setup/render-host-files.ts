import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { BUNDLE_PATH } from '../gate/local-files.ts';
import { HOST_TOOL } from '../remote/host-tool.ts';
import { revertTimerName } from '../remote/revert-timer.ts';
import { shQuote } from '../remote/sh-quote.ts';
import { NO_SHARDS, type ShardPlan } from '../config/shard-plan.ts';
import { appUnits, unitName } from '../remote/unit-status.ts';
import { handBackCommand } from './hand-back.ts';

const hostDir = fileURLToPath(new URL('../host/', import.meta.url));
export const HOST_TOOL_SOURCE = `${hostDir}leakproof-host.mjs`;

/** The unit's command line: the shipped bundle, relative to WorkingDirectory (the app dir); no tsx, no node_modules. */
export const APP_EXEC_START = `/usr/bin/node --expose-gc ${BUNDLE_PATH}`;

export interface HostFileParams {
  /** The system user the service runs as (never root by default). */
  serviceUser: string;
  /** The owner of the app dir: the login user deploys run as (the revert timer restores as it too). */
  deployUser: string;
  appDir: string;
  service: string;
  /** Count 0: the plain unit; else the template `<service>@.service`, each instance told its shard by `%i`. */
  shards: ShardPlan;
  memoryMax: string;
  memoryHigh: string;
}

/** The explicit service config `setup --exchange` writes: root-owned, readable by the service group. */
export const configPath = (service: string) => `/etc/leakproof/${service.replace(/\.service$/, '')}.json`;

/** systemd expands `%` specifiers in unit values; a literal `%` in a path must be doubled. */
const unitValue = (v: string) => v.replace(/%/g, '%%');
/** One path as a word of a space-separated unit list (ReadWritePaths=): C escapes (\x25 for %, too) for all but plain characters. */
const unitPathWord = (v: string) => v.replace(/[^A-Za-z0-9/._-]/gu, (ch) => [...Buffer.from(ch, 'utf8')].map((b) => `\\x${b.toString(16).padStart(2, '0')}`).join(''));

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
  const timer = revertTimerName(p.service);
  const revertScript = `/usr/local/lib/leakproof/revert-${base}.sh`;
  const t = async (name: string) => readFile(`${hostDir}${name}`, 'utf8');
  // A shard's own env file comes last, so it can give that instance its own LEAKPROOF_HTTP_PORT.
  const { count } = p.shards;
  const shardEnv = count > 0 ? [`Environment=LEAKPROOF_SHARD_INDEX=%i LEAKPROOF_SHARD_COUNT=${count}`, `EnvironmentFile=-${unitValue(p.appDir)}/shard-%i.env`].join('\n') : '# one process: no shards';
  const app = {
    service: count > 0 ? `${base}, shard %i of ${count}` : base, user: p.serviceUser, appDir: unitValue(p.appDir), shardEnv,
    execStart: `${APP_EXEC_START} --config ${configPath(p.service)}`, memoryMax: p.memoryMax, memoryHigh: p.memoryHigh,
  };
  const units = appUnits(p).map(shQuote).join(' ');
  return {
    [`/etc/systemd/system/${count > 0 ? `${base}@.service` : unitName(base)}`]: fill(await t('app.service.template'), app),
    [`/etc/systemd/system/${base}-revert.service`]: fill(await t('revert.service.template'), { service: base, revertScript, appDir: unitPathWord(p.appDir) }),
    [`/etc/systemd/system/${timer}`]: fill(await t('revert.timer.template'), { service: base }),
    [revertScript]: fill(await t('revert.sh.template'), { appDir: shQuote(p.appDir), units, timer: shQuote(timer), hostTool: shQuote(HOST_TOOL), handBack: handBackCommand(p.appDir) }),
  };
}

/**
 * The one list of root commands a non-root deploy user runs: exact commands, no globs, no shells. Setup
 * prints it, preflight checks each with `sudo -n -l`, and the test VPSes grant it
 * (deploy/testing/sudoers-rules.ts). Root runs them without sudo.
 */
export function sudoCommandWords(service: string, shards: ShardPlan = NO_SHARDS): string[][] {
  const timer = revertTimerName(service);
  return [
    // Shards restart together, in one command: a release never runs beside the one it replaces.
    ['/usr/bin/systemctl', 'restart', ...appUnits({ service, shards })],
    ['/usr/bin/systemctl', 'start', timer],
    ['/usr/bin/systemctl', 'stop', timer],
  ];
}

export const sudoCommandsFor = (service: string, shards: ShardPlan = NO_SHARDS): string[] => sudoCommandWords(service, shards).map((w) => w.join(' '));

/** The sudoers lines `deploy setup` prints for the admin. */
export function sudoersLines(user: string, service: string, shards: ShardPlan = NO_SHARDS): string[] {
  return sudoCommandsFor(service, shards).map((c) => `${user} ALL=(root) NOPASSWD: ${c}`);
}
