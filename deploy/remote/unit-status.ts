import type { ShardPlan } from '../config/shard-plan.ts';
import type { RemoteShell } from './ssh-session.ts';
import { asRoot } from './privilege.ts';
import { sh } from './sh-quote.ts';

export interface UnitStatus {
  invocationId: string;
  nRestarts: number;
  activeState: string;
  subState: string;
  mainPid: number;
  loadState: string;
  /** Bytes, or null when systemd does not account memory (cgroup v1 guests). */
  memoryCurrent: number | null;
}

const UNSET = 18446744073709551615n;

export function parseUnitShow(text: string): UnitStatus {
  const kv = new Map(text.split('\n').map((l) => [l.slice(0, l.indexOf('=')), l.slice(l.indexOf('=') + 1).trim()] as const));
  const mem = kv.get('MemoryCurrent') ?? '';
  const memOk = /^\d+$/.test(mem) && BigInt(mem) !== UNSET;
  return {
    invocationId: kv.get('InvocationID') ?? '',
    nRestarts: Number(kv.get('NRestarts') ?? 0),
    activeState: kv.get('ActiveState') ?? '',
    subState: kv.get('SubState') ?? '',
    mainPid: Number(kv.get('MainPID') ?? 0),
    loadState: kv.get('LoadState') ?? '',
    memoryCurrent: memOk ? Number(mem) : null,
  };
}

export const unitName = (service: string) => (service.endsWith('.service') ? service : `${service}.service`);

/**
 * The units that run the app on one host: the plain unit, or the instances `<service>@<i>` of the
 * template unit for each shard `i` this host runs, one process per shard of the universe.
 */
export const appUnits = (t: { service: string; shards: ShardPlan }): string[] => {
  const base = t.service.replace(/\.service$/, '');
  return t.shards.count > 0 ? t.shards.run.map((i) => `${base}@${i}.service`) : [unitName(base)];
};

export async function unitStatus(shell: RemoteShell, service: string): Promise<{ ok: true; status: UnitStatus } | { ok: false; reason: string }> {
  const props = 'InvocationID,NRestarts,ActiveState,SubState,MainPID,LoadState,MemoryCurrent';
  const res = await shell.exec(sh('systemctl', 'show', '-p', props, unitName(service)), { timeoutMs: 15_000 });
  if (res.failure || res.code !== 0) return { ok: false, reason: `systemctl show: ${res.failure ?? res.stderr.trim()}` };
  return { ok: true, status: parseUnitShow(res.stdout) };
}

/** The exact command a sudoers line allows (full path, literal args); root runs it without sudo. */
export async function sudoSystemctl(shell: RemoteShell, verb: 'restart' | 'start' | 'stop', ...units: string[]): Promise<{ ok: boolean; reason: string }> {
  return guardedSystemctl(shell, undefined, verb, ...units);
}

/** `sudoSystemctl` run only when `guard` (a shell test on the host) passes: exit 1 from the guard means it did not. */
export async function guardedSystemctl(shell: RemoteShell, guard: { test: string; refused: string } | undefined, verb: 'restart' | 'start' | 'stop', ...units: string[]): Promise<{ ok: boolean; reason: string }> {
  const res = await shell.exec(`${guard ? `{ ${guard.test} || exit 99; } && ` : ''}${asRoot('/usr/bin/systemctl', verb, ...units)}`, { timeoutMs: 60_000 });
  if (guard && res.code === 99) return { ok: false, reason: `systemctl ${verb} ${units.join(' ')}: ${guard.refused}` };
  if (res.failure || res.code !== 0) return { ok: false, reason: `systemctl ${verb} ${units.join(' ')}: ${res.failure ?? (res.stderr.trim() || `exit ${String(res.code)}`)}` };
  return { ok: true, reason: '' };
}
