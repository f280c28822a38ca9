import type { NodeSSH } from 'node-ssh';
import type { HostKeyVerdict } from './known-hosts.ts';

export interface ExecResult {
  code: number | null;
  stdout: string;
  stderr: string;
  /** Set when the command did not finish: the link closed or the timeout passed. */
  failure?: string;
}

/** The remote operations deploy needs. Tests and rollback use the same interface. */
export interface RemoteShell {
  exec(command: string, opts?: { stdin?: string; timeoutMs?: number }): Promise<ExecResult>;
  put(localFile: string, remoteFile: string, timeoutMs: number): Promise<{ ok: boolean; reason: string }>;
  /** SFTP download (heap snapshots); absent on shells that never fetch files. */
  get?(remoteFile: string, localFile: string, timeoutMs: number): Promise<{ ok: boolean; reason: string }>;
  /** Streams stdout lines until `signal` aborts or the command ends; resolves with why it stopped. */
  follow(command: string, onLine: (line: string) => void, signal: AbortSignal): Promise<string>;
  readonly hostKey: { verdict: HostKeyVerdict; accepted: boolean };
  isClosed(): boolean;
  close(): void;
}

/**
 * Races a promise against the connection closing and a deadline. node-ssh's putFile never settles
 * after a link drop (measured), so nothing remote is awaited without this.
 */
function raceClose<T>(work: Promise<T>, closed: Promise<string>, timeoutMs: number, what: string): Promise<T | { raced: string }> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<{ raced: string }>((res) => {
    timer = setTimeout(() => res({ raced: `${what}: timed out after ${timeoutMs} ms` }), timeoutMs);
  });
  const onClose = closed.then((why) => ({ raced: `${what}: connection closed (${why})` }));
  return Promise.race([work, onClose, timeout]).finally(() => clearTimeout(timer));
}

function isRaced(v: unknown): v is { raced: string } {
  return typeof v === 'object' && v !== null && 'raced' in v;
}

/** Wraps a connected node-ssh client: every remote wait is raced against the link closing. */
export function shellOf(ssh: NodeSSH, hostKey: RemoteShell['hostKey'], onClose: () => void = () => undefined): { ok: true; shell: RemoteShell } | { ok: false; reason: string } {
  const conn = ssh.connection;
  if (!conn) return { ok: false, reason: 'ssh connection missing after connect' };
  let closeWhy = '';
  let isClosed = false;
  const closed = new Promise<string>((res) => {
    // Without an 'error' listener a link drop crashes the process (measured with node-ssh 13).
    conn.on('error', (err: Error) => {
      closeWhy ||= err.message;
    });
    conn.on('close', () => {
      isClosed = true;
      res(closeWhy || 'closed');
    });
    conn.on('end', () => {
      isClosed = true;
      res(closeWhy || 'ended');
    });
  });

  const shell: RemoteShell = {
    hostKey,
    async exec(command, execOpts = {}) {
      const work = ssh.execCommand(command, { stdin: execOpts.stdin, noTrim: true }).catch((err: Error) => ({ raced: err.message }));
      const res = await raceClose(work, closed, execOpts.timeoutMs ?? 60_000, 'exec');
      if (isRaced(res)) return { code: null, stdout: '', stderr: '', failure: res.raced };
      return { code: res.code, stdout: res.stdout, stderr: res.stderr };
    },
    async put(localFile, remoteFile, timeoutMs) {
      const work = ssh.putFile(localFile, remoteFile).then(
        () => ({ ok: true, reason: '' }),
        (err: Error & { code?: unknown }) => ({ ok: false, reason: `upload ${remoteFile}: ${err.message}${err.code !== undefined ? ` (code ${String(err.code)})` : ''}` }),
      );
      const res = await raceClose(work, closed, timeoutMs, `upload ${remoteFile}`);
      return isRaced(res) ? { ok: false, reason: res.raced } : res;
    },
    async get(remoteFile, localFile, timeoutMs) {
      const work = ssh.getFile(localFile, remoteFile).then(
        () => ({ ok: true, reason: '' }),
        (err: Error) => ({ ok: false, reason: `download ${remoteFile}: ${err.message}` }),
      );
      const res = await raceClose(work, closed, timeoutMs, `download ${remoteFile}`);
      return isRaced(res) ? { ok: false, reason: res.raced } : res;
    },
    async follow(command, onLine, signal) {
      let buf = '';
      let channel: { close(): void } | undefined;
      const stop = () => channel?.close();
      signal.addEventListener('abort', stop, { once: true });
      const work = ssh
        .execCommand(command, {
          onChannel: (ch) => {
            channel = ch;
            if (signal.aborted) ch.close();
          },
          onStdout: (chunk) => {
            buf += chunk.toString('utf8');
            let nl: number;
            while ((nl = buf.indexOf('\n')) >= 0) {
              onLine(buf.slice(0, nl));
              buf = buf.slice(nl + 1);
            }
          },
        })
        .then(
          () => (signal.aborted ? 'aborted' : 'command ended'),
          (err: Error) => `follow failed: ${err.message}`,
        );
      const abortP = new Promise<string>((res) => signal.addEventListener('abort', () => res('aborted'), { once: true }));
      const res = await Promise.race([work, abortP, closed.then((why) => `connection closed (${why})`)]);
      signal.removeEventListener('abort', stop);
      stop();
      return res;
    },
    isClosed: () => isClosed,
    close() {
      ssh.dispose();
      onClose();
    },
  };
  return { ok: true, shell };
}
