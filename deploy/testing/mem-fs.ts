import { posix } from 'node:path';
import type { HostFs } from '../host/leakproof-host.mjs';

interface MemFile {
  data: Buffer;
  mode: number;
  mtimeMs: number;
}

const fsError = (code: string, what: string, path: string) => Object.assign(new Error(`${code}: ${what}, '${path}'`), { code });

export interface MemFs extends HostFs {
  /** Bytes all files hold. */
  used(): number;
  /** Writes that would pass this many bytes in total fail with ENOSPC (a full disk). */
  capacity: number;
  files(): ReadonlyMap<string, Buffer>;
  /** Counts changes, so a caller can tell nothing changed since it last looked. */
  version(): number;
}

/** An in-memory file system with a capacity, for running the host tool's real code in a scripted host. */
export function memFs(now: () => number, capacity = Number.POSITIVE_INFINITY): MemFs {
  const files = new Map<string, MemFile>();
  let version = 0;
  const dirs = new Set<string>(['/']);
  const used = () => [...files.values()].reduce((a, f) => a + f.data.length, 0);
  const parentOk = (p: string) => {
    if (!dirs.has(posix.dirname(p))) throw fsError('ENOENT', 'no such file or directory', p);
  };
  const put = (p: string, data: Buffer, mode: number) => {
    parentOk(p);
    if (dirs.has(p)) throw fsError('EISDIR', 'illegal operation on a directory', p);
    const grow = data.length - (files.get(p)?.data.length ?? 0);
    if (grow > 0 && used() + grow > self.capacity) throw fsError('ENOSPC', 'no space left on device, write', p);
    files.set(p, { data, mode, mtimeMs: now() });
    version += 1;
  };
  const get = (p: string) => {
    const f = files.get(p);
    if (!f) throw fsError('ENOENT', 'no such file or directory, open', p);
    return f;
  };
  function readFileSync(path: string): Buffer;
  function readFileSync(path: string, encoding: 'utf8'): string;
  function readFileSync(path: string, encoding?: 'utf8'): Buffer | string {
    const data = get(path).data;
    return encoding ? data.toString('utf8') : data;
  }
  const self: MemFs = {
    capacity,
    used,
    version: () => version,
    files: () => new Map([...files].map(([p, f]) => [p, f.data])),
    existsSync: (p) => files.has(p) || dirs.has(p),
    readFileSync,
    writeFileSync: (p, data) => put(p, Buffer.from(data), files.get(p)?.mode ?? 0o644),
    appendFileSync: (p, data, o) => put(p, Buffer.concat([files.get(p)?.data ?? Buffer.alloc(0), Buffer.from(data)]), files.get(p)?.mode ?? o?.mode ?? 0o644),
    renameSync: (from, to) => {
      const f = get(from);
      parentOk(to);
      files.delete(from);
      files.set(to, f);
      version += 1;
    },
    rmSync: (p, o) => {
      version += 1;
      if (files.delete(p)) return;
      if (dirs.has(p)) {
        const inside = [...files.keys(), ...dirs].filter((x) => x.startsWith(`${p}/`));
        if (inside.length && !o?.recursive) throw fsError('ENOTEMPTY', 'directory not empty', p);
        for (const x of inside) {
          files.delete(x);
          dirs.delete(x);
        }
        dirs.delete(p);
        return;
      }
      if (!o?.force) throw fsError('ENOENT', 'no such file or directory', p);
    },
    copyFileSync: (from, to) => put(to, Buffer.from(get(from).data), get(from).mode),
    mkdirSync: (p, o) => {
      if (dirs.has(p)) {
        if (o?.recursive) return;
        throw fsError('EEXIST', 'file already exists, mkdir', p);
      }
      if (!dirs.has(posix.dirname(p))) {
        if (!o?.recursive) throw fsError('ENOENT', 'no such file or directory, mkdir', p);
        self.mkdirSync(posix.dirname(p), o);
      }
      dirs.add(p);
    },
    statSync: (p) => {
      if (dirs.has(p)) return { mode: 0o40755, uid: 1000, gid: 1000, mtimeMs: 0 };
      const f = get(p);
      return { mode: 0o100000 | f.mode, uid: 1000, gid: 1000, mtimeMs: f.mtimeMs };
    },
    chmodSync: (p, mode) => {
      version += 1;
      get(p).mode = mode;
    },
    readdirSync: (p) => [...new Set([...files.keys(), ...dirs].filter((x) => posix.dirname(x) === p && x !== p).map((x) => posix.basename(x)))],
  };
  return self;
}
