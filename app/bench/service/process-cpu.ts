import { readFileSync } from 'node:fs';

/** /proc reports utime and stime in USER_HZ ticks, which Linux fixes at 100 for every architecture's ABI. */
const USER_HZ = 100;

/** CPU seconds (user + system) a live process has used so far, from /proc; undefined when it cannot be read. */
export function cpuSecondsOf(pid: number | undefined): number | undefined {
  if (pid === undefined) return undefined;
  try {
    // The command name may hold spaces and parentheses: the fields start after its last ')'.
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    const ticks = Number(fields[11]) + Number(fields[12]);
    return Number.isFinite(ticks) ? ticks / USER_HZ : undefined;
  } catch {
    return undefined;
  }
}

/** Cores a process kept busy between two readings: CPU seconds over wall seconds. */
export function coresBetween(cpu0: number | undefined, cpu1: number | undefined, wallSeconds: number): number | null {
  if (cpu0 === undefined || cpu1 === undefined || wallSeconds <= 0) return null;
  return Math.round(((cpu1 - cpu0) / wallSeconds) * 100) / 100;
}
