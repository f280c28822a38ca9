import { posix } from 'node:path';
import type { ExecResult } from '../remote/ssh-session.ts';
import type { MemFs } from './mem-fs.ts';
import { shellWords } from './shell-words.ts';

export const ok = (stdout = ''): ExecResult => ({ code: 0, stdout, stderr: '' });
export const done = (fn: () => void): ExecResult => (fn(), ok());
export const fail = (code: number, stderr: string): ExecResult => ({ code, stdout: '', stderr });

/** A write as a command's result: a full disk is its exit 1 with the error, as the shell would report it. */
export const writer = (fs: MemFs) => (p: string, text: string): ExecResult => {
  try {
    fs.writeFileSync(p, text);
    return ok();
  } catch (err) {
    return fail(1, err instanceof Error ? err.message : String(err));
  }
};

/**
 * The lease lock's command lines (lock.ts) on the scripted host's file system: the atomic mkdir, the
 * owner file, the heartbeat that also pushes the revert deadline, and the token-checked release.
 */
export function simLockCommands(fs: MemFs, hostNow: () => number): (c: string) => ExecResult | undefined {
  const write = writer(fs);
  return (c: string): ExecResult | undefined => {
    let m = /^now=\$\(date \+%s%3N\); if mkdir (\S+) /.exec(c);
    if (m) {
      const dir = shellWords(m[1] ?? '')[0] ?? '';
      if (fs.existsSync(dir)) return ok(`${hostNow()} HELD\n`);
      fs.mkdirSync(dir);
      return ok(`${hostNow()} ACQUIRED\n`);
    }
    m = /^date \+%s%3N; cat (\S+) /.exec(c);
    if (m) {
      const file = shellWords(m[1] ?? '')[0] ?? '';
      const body = fs.existsSync(file) ? fs.readFileSync(file, 'utf8') : fs.existsSync(posix.dirname(file)) ? '{corrupt' : '';
      return ok(`${hostNow()}\n${body}\n`);
    }
    m = /^printf %s (.+) > (\S+) && mv -f (\S+) (\S+)$/s.exec(c);
    if (m) {
      const [json = '', tmp = '', , dest = ''] = shellWords(`${m[1] ?? ''} ${m[2] ?? ''} ${m[3] ?? ''} ${m[4] ?? ''}`);
      const w = write(tmp, json);
      return w.code === 0 ? done(() => fs.renameSync(tmp, dest)) : w;
    }
    m = /^\{ grep -q (\S+) (\S+) \|\| exit 3; \} && sed -i/.exec(c);
    if (m) {
      const [token = '', file = ''] = shellWords(`${m[1] ?? ''} ${m[2] ?? ''}`);
      if (!fs.existsSync(file) || !fs.readFileSync(file, 'utf8').includes(token)) return fail(3, '');
      const w = write(file, fs.readFileSync(file, 'utf8').replace(/"heartbeatAt":\d+/, `"heartbeatAt":${hostNow()}`));
      const push = /\+ (\d+) \)\) > (\S+)\.tmp/.exec(c);
      return w.code === 0 && push ? write(shellWords(push[2] ?? '')[0] ?? '', String(hostNow() + Number(push[1]))) : w;
    }
    m = /^grep -q (\S+) (\S+) && rm -rf -- (\S+)$/.exec(c);
    if (m) {
      const [token = '', file = '', dir = ''] = shellWords(`${m[1] ?? ''} ${m[2] ?? ''} ${m[3] ?? ''}`);
      if (!fs.existsSync(file) || !fs.readFileSync(file, 'utf8').includes(token)) return fail(1, '');
      fs.rmSync(dir, { recursive: true, force: true });
      return ok();
    }
    return undefined;
  };
}
