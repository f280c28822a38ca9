import { sh } from './sh-quote.ts';

/**
 * Root runs the exact command itself (root needs no sudo, and a root login often has no sudoers entry);
 * any other login runs the very same words through `sudo -n`, so one scoped sudoers line covers it.
 */
export const asRoot = (...words: string[]): string => `if [ "$(id -u)" = 0 ]; then ${sh(...words)}; else ${sh('sudo', '-n', ...words)}; fi`;

/**
 * One shell line printing the index of every command sudo would refuse, and nothing for root.
 * `sudo -n -l CMD...` prints the command and exits 0 when the policy allows exactly it, so
 * `NOPASSWD:ALL`, a scoped line and a Cmnd_Alias all pass, whatever `sudo -l`'s text looks like.
 */
export const sudoDenials = (commands: readonly (readonly string[])[]): string =>
  `[ "$(id -u)" = 0 ] || { ${commands.map((c, i) => `${sh('sudo', '-n', '-l', ...c)} >/dev/null 2>&1 || echo ${i}`).join('; ')}; }`;

/** The commands of `sudoDenials`' output that were refused. */
export function deniedCommands<T>(commands: readonly T[], stdout: string): T[] {
  const idx = new Set(stdout.split('\n').map((l) => l.trim()).filter((l) => /^\d+$/.test(l)).map(Number));
  return commands.filter((_, i) => idx.has(i));
}
