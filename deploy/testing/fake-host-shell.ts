import { BUNDLE_PATH } from '../gate/local-files.ts';
import type { ExecResult, RemoteShell } from '../remote/ssh-session.ts';
import { PROOF_MESSAGES } from './sim-systemd.ts';

/**
 * A scripted host for pipeline unit tests of faults that cannot be made real cheaply (a signal at an
 * exact moment, a lock stolen mid-watch). It answers the commands deploy sends by their shape, keeps
 * the unit's invocation, and logs every command; the real behaviour is proven by the VPS tests.
 */
export interface FakeHostOptions {
  /** Whether invocation n (1 = the first restart) prints the proof lines. Default: every one does. */
  proves?: (invocation: number) => boolean;
  /** Answer of heartbeat n (1-based): 0 ours, 3 not ours any more. Default 0. */
  heartbeatCode?: (n: number) => number;
  /** Called on each memory sample the watch takes. */
  onSample?: (n: number) => void;
}

export interface FakeHost {
  shell: RemoteShell;
  commands: string[];
  /** host-tool operations in order, e.g. ['hash', 'backup', 'store', 'restore', ...]. */
  toolOps: string[];
  records: { status: string; reason?: string }[];
  lockReleased: () => boolean;
}

/** Every uploaded temp hashes to this on the fake host. */
export const FAKE_SHA256 = 'a'.repeat(64);

const ok = (stdout = ''): ExecResult => ({ code: 0, stdout, stderr: '' });

export function fakeHost(o: FakeHostOptions = {}): FakeHost {
  const commands: string[] = [];
  const toolOps: string[] = [];
  const records: FakeHost['records'] = [];
  let invocation = 0;
  let beats = 0;
  let samples = 0;
  let released = false;
  let stolen = false;
  const inv = () => `inv${invocation}`;
  const tool: Record<string, unknown> = {
    hash: { files: [] }, backup: { releaseId: 'r1', entries: [] }, arm: { releaseId: 'r1', deadline: 0 }, store: { entries: [] }, records: { records: [] }, restore: { restored: [], removed: [], verified: true },
    record: { ok: true }, confirm: { ok: true }, expire: { releaseId: null }, prune: { kept: [], removedBackups: [], removedObjects: 0 },
    state: { records: [], pending: null, disk: [], objects: [], changedAt: 0, now: 0 },
  };

  const exec = async (command: string, opts: { stdin?: string } = {}): Promise<ExecResult> => {
    commands.push(command);
    const op = /leakproof-host\.mjs (\w+)/.exec(command)?.[1];
    if (op) {
      toolOps.push(op);
      if ((op === 'record' || op === 'confirm') && opts.stdin) records.push(JSON.parse(opts.stdin) as { status: string; reason?: string });
      return ok(JSON.stringify(tool[op] ?? {}));
    }
    // A non-root login whose sudo allows every command asked about: `sudo -n -l CMD` prints nothing refused.
    if (command.includes('sudo -n -l')) return ok();
    if (command.includes('sudo -n /usr/bin/systemctl restart')) {
      invocation += 1;
      return ok();
    }
    if (command.includes('systemctl') && command.includes('ExecStart')) return ok(`LoadState=loaded\nExecStart={ path=/usr/bin/node ; argv[]=/usr/bin/node --expose-gc ${BUNDLE_PATH} --config /etc/leakproof/leakproof.json ; }\nEnvironment=\n`);
    if (command.includes('systemctl') && command.includes('show')) {
      return ok(`InvocationID=${inv()}\nNRestarts=0\nActiveState=active\nSubState=running\nMainPID=42\nLoadState=loaded\nMemoryCurrent=[not set]\n`);
    }
    if (command.includes('VmRSS')) {
      samples += 1;
      o.onSample?.(samples);
      return ok('VmRSS:\t  102400 kB\n');
    }
    if (command.startsWith('sha256sum -- ')) return ok(command.split(' ').slice(2).map((f) => `${FAKE_SHA256}  ${f}\n`).join(''));
    if (command.includes('if mkdir')) return ok(`${Date.now()} ACQUIRED\n`);
    if (command.includes('|| exit 3')) {
      beats += 1;
      const code = o.heartbeatCode?.(beats) ?? 0;
      stolen ||= code === 3;
      return { code, stdout: '', stderr: '' };
    }
    if (command.includes('.deploy-lock') && command.includes('rm -rf')) {
      // Release greps for our token first: a stolen lock is someone else's and stays.
      if (stolen) return { code: 1, stdout: '', stderr: '' };
      released = true;
      return ok();
    }
    if (command.startsWith('date +%s%3N; cat')) return ok(`${Date.now()}\n`);
    if (command.includes('test -f') && command.includes('releases.jsonl')) return ok();
    if (command.startsWith('date +%s%6N')) return ok(`${Date.now() * 1000}\n`);
    if (command.includes('df')) return ok('Filesystem 1K-blocks Used Available Use% Mounted\n/dev/x 100000000 0 90000000 0% /\n');
    return ok();
  };

  const shell: RemoteShell = {
    exec,
    put: async () => ({ ok: true, reason: '' }),
    async follow(command, onLine, signal) {
      commands.push(command);
      if (o.proves?.(invocation) ?? true) {
        const now = Date.now() * 1000;
        for (const message of PROOF_MESSAGES) {
          onLine(JSON.stringify({ MESSAGE: message, _SYSTEMD_INVOCATION_ID: inv(), _TRANSPORT: 'stdout', __REALTIME_TIMESTAMP: String(now + 1) }));
        }
      }
      if (signal.aborted) return 'aborted';
      return new Promise((res) => signal.addEventListener('abort', () => res('aborted'), { once: true }));
    },
    hostKey: { verdict: 'match', accepted: false },
    isClosed: () => false,
    close: () => undefined,
  };
  return { shell, commands, toolOps, records, lockReleased: () => released };
}
