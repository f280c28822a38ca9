import { createHash } from 'node:crypto';
import { posix } from 'node:path';
import { BUNDLE_PATH } from '../gate/local-files.ts';
import { runHostOp } from '../host/leakproof-host.mjs';
import type { HostState } from '../releases/host-invariant.ts';
import { HOST_OPS } from '../remote/host-replies.ts';
import { IS_ROOT } from '../remote/privilege.ts';
import type { ExecResult, RemoteShell } from '../remote/ssh-session.ts';
import { memFs } from './mem-fs.ts';
import { done, fail, ok, simLockCommands, writer } from './sim-lock.ts';
import { simSystemd } from './sim-systemd.ts';
import { shellWords } from './shell-words.ts';
import type { VirtualClock } from './virtual-clock.ts';

/** One CLI run's view of the host: its command count, and the kill -9 that ends it after command `killAt`. */
export interface SimSession {
  name: string;
  commands: number;
  killAt?: number;
  dead: boolean;
  /** Resolves when the session is killed: its run's promise never settles after that. */
  died: Promise<void>;
  onCommand?: (n: number, command: string) => void;
  kill(): void;
}

export function simSession(name: string, killAt?: number, onCommand?: (n: number, command: string) => void): SimSession {
  let resolveDied: () => void = () => undefined;
  const died = new Promise<void>((res) => {
    resolveDied = res;
  });
  const kill = () => {
    s.dead = true;
    resolveDied();
  };
  const s: SimSession = { name, commands: 0, killAt, dead: false, died, onCommand, kill };
  return s;
}

const hang = () => new Promise<never>(() => undefined);
// The scripted host reads the command lines privilege.ts builds, from its one spelling of the root test.
const IS_ROOT_RE = IS_ROOT.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
const AS_ROOT = new RegExp(`if ${IS_ROOT_RE}; then (.+?); else sudo -n .+?; fi`, 'gs');
const ONLY_AS_ROOT = new RegExp(`^if ${IS_ROOT_RE}; then (?:(?!; else ).)*; fi$`, 's');
const GUARD = /^\{ grep -qF (\S+) (\S+) \|\| exit (\d+); \} && /s;

/**
 * An in-process host for fault histories: a real file system model (capacity, ENOSPC), the real host
 * tool's code, a lock dir, systemd's units and timer on virtual time, a skewable host clock and network
 * partitions. It answers the command lines deploy, rollback and setup send by their shape; a line it does
 * not know is a test failure (`unknown`), never a silent success.
 */
export function simHost(o: { clock: VirtualClock; appDir: string; service: string; appFiles: readonly string[]; local: ReadonlyMap<string, string>; afterCommand?: (command: string) => void }) {
  const faults = { skewMs: 0, partitionUntil: -1 };
  const hostNow = () => o.clock.now() + faults.skewMs;
  const fs = memFs(hostNow);
  const systemd = simSystemd({ fs, clock: o.clock, hostNow, appDir: o.appDir, appFiles: o.appFiles });
  const unknown: string[] = [];
  const shells: { closed: boolean }[] = [];
  const abs = (p: string) => (p.startsWith('/') ? p : posix.join(o.appDir, p));
  const sha = (p: string) => createHash('sha256').update(fs.readFileSync(p)).digest('hex');
  const tool = (words: string[], stdin?: string) => {
    const r = runHostOp(fs, hostNow, words, stdin ?? '');
    return { code: r.code, stdout: r.stdout, stderr: '' };
  };
  const write = writer(fs);
  const lockCommand = simLockCommands(fs, hostNow);

  /** `&&`-chains of simple commands: chmod, mv, rm, mkdir. */
  function simple(words: string[]): ExecResult {
    const [cmd, ...args] = words;
    const files = args.filter((a) => !a.startsWith('-'));
    if (cmd === 'chmod') return done(() => fs.chmodSync(abs(files[1] ?? ''), parseInt(files[0] ?? '644', 8)));
    if (cmd === 'mv') return fs.existsSync(files[0] ?? '') ? done(() => fs.renameSync(files[0] ?? '', files[1] ?? '')) : fail(1, 'mv: no such file');
    if (cmd === 'rm') return done(() => files.forEach((f) => fs.rmSync(f, { recursive: args.includes('-rf'), force: true })));
    if (cmd === 'mkdir') return done(() => files.forEach((f) => fs.mkdirSync(f, { recursive: true })));
    if (cmd === 'sha256sum') return files.every((f) => fs.existsSync(f)) ? ok(files.map((f) => `${sha(f)}  ${f}\n`).join('')) : fail(1, 'sha256sum: missing');
    unknown.push(words.join(' '));
    return fail(127, `sim: unknown command ${words.join(' ')}`);
  }

  function systemctl(c: string): ExecResult | undefined {
    const words = shellWords(c);
    if (words[0] !== 'systemctl' && words[0] !== '/usr/bin/systemctl') return undefined;
    const verb = words[1];
    const units = words.slice(2);
    const isTimer = (u: string) => u.endsWith('-revert.timer');
    if (verb === 'restart') return done(systemd.restart);
    if (verb === 'start' && units.every(isTimer)) return done(systemd.startTimer);
    if (verb === 'stop' && units.every(isTimer)) return done(systemd.stopTimer);
    if (verb === 'is-active') return systemd.timerArmed() ? ok('active\n') : { code: 3, stdout: 'inactive\n', stderr: '' };
    if (verb === 'show' && c.includes('ExecStart')) return ok(`LoadState=loaded\nExecStart={ path=/usr/bin/node ; argv[]=/usr/bin/node --expose-gc ${BUNDLE_PATH} --config /etc/leakproof/leakproof.json ; }\nEnvironment=\n`);
    if (verb === 'show' && c.includes('--timestamp=us+utc')) {
      const started = new Date(systemd.unit.startedAt).toISOString().replace('T', ' ').replace('Z', '000 UTC');
      return ok(`ActiveState=${systemd.unit.active ? 'active' : 'failed'}\nExecMainStartTimestamp=Sun ${started}\n`);
    }
    if (verb === 'show' && units.at(-1)?.endsWith('-revert.service')) return ok('InvocationID=\nNRestarts=0\nActiveState=inactive\nSubState=dead\nMainPID=0\nLoadState=loaded\n');
    if (verb === 'show') return ok(`InvocationID=inv${systemd.unit.invocation}\nNRestarts=0\nActiveState=${systemd.unit.active ? 'active' : 'failed'}\nSubState=running\nMainPID=42\nLoadState=loaded\nMemoryCurrent=[not set]\n`);
    return undefined;
  }

  function journalctl(c: string): ExecResult | undefined {
    if (!c.startsWith('journalctl ')) return undefined;
    if (c.includes('-revert.service')) return ok(systemd.revertLog().join('\n'));
    if (c.includes('MESSAGE_ID=')) return ok(systemd.suppressed().join('\n'));
    const inv = /_SYSTEMD_INVOCATION_ID=inv(\d+)/.exec(c);
    if (inv) return ok(systemd.journalOf(Number(inv[1])).join('\n'));
    return ok(systemd.journalOf(systemd.unit.invocation).join('\n'));
  }

  /** One command line, run atomically (the host's own processes never interleave with it). */
  function run(raw: string, stdin?: string): ExecResult {
    let c = raw.replace(AS_ROOT, '$1');
    const guard = GUARD.exec(c);
    if (guard) {
      const [pattern = '', file = ''] = shellWords(`${guard[1] ?? ''} ${guard[2] ?? ''}`);
      if (!fs.existsSync(file) || !fs.readFileSync(file, 'utf8').includes(pattern)) return fail(Number(guard[3]), '');
      c = c.slice(guard[0].length);
    }
    if (c.startsWith('node ') && c.includes('leakproof-host.mjs')) {
      const [toolPart = '', rest] = c.split(' && ');
      const r = tool(shellWords(toolPart).slice(2), stdin);
      if (r.code !== 0 || rest === undefined) return r;
      systemd.startTimer();
      return r;
    }
    // The scripted login is not root: what only root does (privilege.ts onlyAsRoot) is skipped.
    if (c.includes('sudo -n -l') || c.startsWith(IS_ROOT) || c.startsWith('test -r ') || ONLY_AS_ROOT.test(c)) return ok();
    if (c.startsWith('mktemp -d')) return ok('/tmp/leakproof-setup.sim\n');
    if (c.includes('sh -s')) {
      for (const d of [o.appDir, `${o.appDir}/backups`, `${o.appDir}/backups/objects`]) fs.mkdirSync(d, { recursive: true });
      return ok();
    }
    if (c.startsWith('df -Pk')) return ok(`Filesystem 1K-blocks Used Available Use% Mounted on\n/dev/sim 1000000 0 ${Math.floor(Math.min(1e9, fs.capacity - fs.used()) / 1024)} 0% /\n`);
    if (c === 'date +%s%6N') return ok(`${hostNow() * 1000}\n`);
    const pending = /^test -e (\S+) && echo pending$/.exec(c);
    if (pending) return fs.existsSync(shellWords(pending[1] ?? '')[0] ?? '') ? ok('pending\n') : fail(1, '');
    const special = lockCommand(c) ?? systemctl(c) ?? journalctl(c);
    if (special) return special;
    let last = ok();
    for (const part of c.split(' && ')) {
      last = simple(shellWords(part));
      if (last.code !== 0) return last;
    }
    return last;
  }

  /** A new SSH session; undefined while the network is partitioned. */
  function connect(session: SimSession): RemoteShell | undefined {
    if (o.clock.now() < faults.partitionUntil) return undefined;
    const link = { closed: false };
    shells.push(link);
    // Every command takes time on the link (an upload more), so host-side ticks interleave with a run.
    const gate = async <T>(fn: () => T, command: string): Promise<T | { cut: string }> => {
      if (session.dead) return hang();
      await o.clock.sleep(command.startsWith('put ') ? 1_500 : 100);
      // eslint-disable-next-line @typescript-eslint/no-unnecessary-condition -- kill() may flip it while we slept
      if (session.dead) return hang();
      session.commands += 1;
      session.onCommand?.(session.commands, command);
      if (session.killAt === session.commands) {
        // A kill lands either before the command left or after sshd started it (it then runs to its end).
        if (session.commands % 2 === 0) {
          fn();
          o.afterCommand?.(command);
        }
        session.kill();
        return hang();
      }
      if (link.closed || o.clock.now() < faults.partitionUntil) {
        link.closed = true;
        return { cut: 'connection closed (network partition)' };
      }
      const r = fn();
      o.afterCommand?.(command);
      return r;
    };
    const isCut = (v: unknown): v is { cut: string } => typeof v === 'object' && v !== null && 'cut' in v;
    return {
      async exec(command, opts = {}) {
        const r = await gate(() => run(command, opts.stdin), command);
        return isCut(r) ? { code: null, stdout: '', stderr: '', failure: `exec: ${r.cut}` } : r;
      },
      async put(local, remote) {
        const r = await gate(() => {
          if (remote.startsWith('/tmp/')) return { ok: true, reason: '' };
          const w = write(remote, o.local.get(local) ?? '');
          return w.code === 0 ? { ok: true, reason: '' } : { ok: false, reason: `upload ${remote}: Failure (code 4)` };
        }, `put ${remote}`);
        return isCut(r) ? { ok: false, reason: `upload ${remote}: ${r.cut}` } : r;
      },
      async follow(command, onLine, signal) {
        const r = await gate(() => journalctl(command), command);
        if (isCut(r)) return r.cut;
        for (const line of r?.stdout.split('\n').filter(Boolean) ?? []) onLine(line);
        if (signal.aborted) return 'aborted';
        return new Promise((res) => signal.addEventListener('abort', () => res('aborted'), { once: true }));
      },
      hostKey: { verdict: 'match', accepted: false },
      isClosed: () => link.closed || o.clock.now() < faults.partitionUntil,
      close: () => {
        link.closed = true;
      },
    };
  }

  /** The host as the invariant judges it: the host tool's own `state`, and systemd's units exactly. */
  function state(): HostState {
    const r = HOST_OPS.state.reply.parse(JSON.parse(runHostOp(fs, hostNow, ['state', o.appDir]).stdout));
    return { records: r.records, pending: r.pending, timerArmed: systemd.timerArmed(), disk: new Map(r.disk.map((d) => [d.path, d.sha256])), running: systemd.unit.active ? systemd.unit.loaded : null, objects: new Set(r.objects) };
  }

  return {
    fs,
    systemd,
    faults,
    unknown,
    connect,
    state,
    /** A network partition from now for `ms`: every open session drops. */
    partition(ms: number) {
      faults.partitionUntil = o.clock.now() + ms;
      for (const s of shells) s.closed = true;
    },
  };
}

export type SimHost = ReturnType<typeof simHost>;
