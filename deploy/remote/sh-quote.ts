/**
 * The one place remote arguments become shell words (POSIX single quotes), so a path with spaces,
 * quotes or `$(...)` stays one literal argument. Not zx's `quote`: it emits bash's `$'…'`, and the
 * setup script and the revert script run under /bin/sh (dash on Debian), where that means `$…`.
 */
export function shQuote(arg: string): string {
  if (arg.includes('\0')) throw new Error(`shQuote: argument contains a NUL byte`);
  if (/^[A-Za-z0-9_@%+=:,./-]+$/.test(arg)) return arg;
  return `'${arg.replace(/'/g, `'\\''`)}'`;
}

/** Joins already-quoted words; use `sh('cmd', arg1, arg2)` for a whole command line. */
export function sh(...words: string[]): string {
  return words.map(shQuote).join(' ');
}
