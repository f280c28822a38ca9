// @module-tag e2e
import { execFileSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { sh, shQuote } from './sh-quote.ts';

// Round-trips through a real /bin/sh: what the shell sees as argv must equal what we passed.
function argvThroughShell(cmdline: string): string[] {
  const out = execFileSync('/bin/sh', ['-c', `${cmdline}`], { encoding: 'utf8' });
  return JSON.parse(out) as string[];
}
const printArgv = `node -e 'process.stdout.write(JSON.stringify(process.argv.slice(1)))' --`;

describe('shQuote', () => {
  const nasty = [
    'plain',
    'with space',
    "it's",
    'double "quoted"',
    '$(touch /tmp/leakproof-pwned)',
    '`id`',
    '$HOME',
    'semi;colon && rm -rf x',
    "'",
    '',
    'new\nline',
    '*',
    '-n',
  ];
  it.each(nasty)('keeps %j a single literal word', (arg) => {
    expect(argvThroughShell(`${printArgv} ${shQuote(arg)}`)).toEqual([arg]);
  });

  it('quotes every word of a command', () => {
    expect(argvThroughShell(`${printArgv} ${sh('a b', "c'd", '$(x)')}`)).toEqual(['a b', "c'd", '$(x)']);
  });

  it('leaves safe words bare and rejects NUL', () => {
    expect(shQuote('/srv/app-1/x.ts')).toBe('/srv/app-1/x.ts');
    expect(() => shQuote('a\0b')).toThrow(/NUL/);
  });
});
