import { sh } from './sh-quote.ts';

/** The one test for "this login is root": every privileged shell line is built from it. */
export const IS_ROOT = '[ "$(id -u)" = 0 ]';

/** `asRootCmd` for a root login, `otherwise` for any other. */
export const rootOr = (asRootCmd: string, otherwise: string): string => `if ${IS_ROOT}; then ${asRootCmd}; else ${otherwise}; fi`;
/** `cmd` for a login that is not root (root may do it anyway); exit 0 for root. */
export const unlessRoot = (cmd: string): string => `${IS_ROOT} || { ${cmd}; }`;
/** `cmd` for root only; exit 0 for any other login. */
export const onlyAsRoot = (cmd: string): string => `if ${IS_ROOT}; then ${cmd}; fi`;

/**
 * Root runs the exact command itself (root needs no sudo, and a root login often has no sudoers entry);
 * any other login runs the very same words through `sudo -n`, so one scoped sudoers line covers it.
 */
export const asRoot = (...words: string[]): string => rootOr(sh(...words), sh('sudo', '-n', ...words));

/**
 * One shell line printing the index of every command sudo would refuse, and nothing for root.
 * `sudo -n -l CMD...` prints the command and exits 0 when the policy allows exactly it, so
 * `NOPASSWD:ALL`, a scoped line and a Cmnd_Alias all pass, whatever `sudo -l`'s text looks like.
 */
export const sudoDenials = (commands: readonly (readonly string[])[]): string =>
  unlessRoot(commands.map((c, i) => `${sh('sudo', '-n', '-l', ...c)} >/dev/null 2>&1 || echo ${i}`).join('; '));

/** The commands of `sudoDenials`' output that were refused. */
export function deniedCommands<T>(commands: readonly T[], stdout: string): T[] {
  const idx = new Set(stdout.split('\n').map((l) => l.trim()).filter((l) => /^\d+$/.test(l)).map(Number));
  return commands.filter((_, i) => idx.has(i));
}
