#!/usr/bin/env node
// Host-side helper, installed root-owned by `deploy setup` and run by the deploy user (and by the
// revert timer, dropped to that user). Built-ins only: it must work while the app's node_modules
// are broken. Every operation prints one JSON object on stdout; failures exit non-zero with a
// JSON {error} so the caller gets a reason, never a partial success. The operations take their file
// system and clock as arguments, so the deploy tests run this very code against a scripted host.
import { createHash } from 'node:crypto';
import * as nodeFs from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';
import process from 'node:process';
import { fileURLToPath } from 'node:url';

// stdin is read with a stream before the op runs: readFileSync(0) throws EAGAIN when sshd hands over a
// non-blocking pipe whose data has not arrived yet (seen under load in the concurrent-deploy test).
export const STDIN_OPS = new Set(['hash', 'backup', 'store', 'record', 'confirm']);

class Exit {
  constructor(code) {
    this.code = code;
  }
}

/**
 * Runs one operation over `fs` (node:fs's sync subset) with `now()` as the host clock. Returns the exit
 * code and the one JSON line it printed.
 */
export function runHostOp(fs, now, argv, stdinText = '') {
  const [op, appDir, arg, arg2] = argv;
  const backups = join(appDir ?? '', 'backups');
  const objects = join(backups, 'objects');
  const releasesFile = join(appDir ?? '', 'releases.jsonl');
  const pendingFile = join(backups, 'pending.json');
  const deadlineFile = join(backups, 'deadline');
  let stdout = '';

  const sha256 = (file) => createHash('sha256').update(fs.readFileSync(file)).digest('hex');
  /**
   * The request, read to EOF. A deploy killed after sending the command but before (or while) sending its
   * stdin leaves the command running here with an empty or cut request: that must do nothing at all
   * (an empty request used to confirm with an empty record and drop the pending marker).
   */
  const readStdin = () => {
    if (!stdinText.trim()) throw new Error(`${op}: no request on stdin (the caller died before sending it?)`);
    try {
      return JSON.parse(stdinText);
    } catch (err) {
      throw new Error(`${op}: incomplete request on stdin (${err.message})`, { cause: err });
    }
  };
  const checkRecord = (rec) => {
    if (typeof rec?.id !== 'string' || typeof rec.status !== 'string' || typeof rec.time !== 'string') throw new Error(`${op}: a record needs id, time and status`);
    return rec;
  };
  const out = (obj) => {
    stdout += `${JSON.stringify(obj)}\n`;
  };
  /** Readers of the files the tool writes name the file when it is unreadable. */
  const readJson = (file) => {
    try {
      return JSON.parse(fs.readFileSync(file, 'utf8'));
    } catch (err) {
      throw new Error(`${file}: ${err.code === 'ENOENT' ? 'missing' : `unreadable (${err.message})`}`, { cause: err });
    }
  };
  /** Temp + rename: a reader (the revert timer, a later deploy) never sees a half-written file. */
  const writeAtomic = (file, text) => {
    fs.writeFileSync(`${file}.tmp-${process.pid}`, text);
    fs.renameSync(`${file}.tmp-${process.pid}`, file);
  };
  const safeRel = (p) => {
    if (typeof p !== 'string' || !p || p.startsWith('/') || p.split('/').includes('..') || /[\n\t\0]/.test(p)) {
      throw new Error(`unsafe path in manifest: ${JSON.stringify(p)}`);
    }
    return join(appDir, p);
  };
  const objectOk = (hash) => fs.existsSync(join(objects, hash)) && sha256(join(objects, hash)) === hash;

  /** Copies into the content store under a temp name, verifies, then renames: never a torn object. */
  function storeObject(file, hash) {
    const dest = join(objects, hash);
    if (objectOk(hash)) return;
    const tmp = `${dest}.tmp-${process.pid}`;
    fs.copyFileSync(file, tmp);
    if (sha256(tmp) !== hash) throw new Error(`object ${hash}: copy does not match its hash`);
    fs.renameSync(tmp, dest);
  }

  function describe(rel) {
    const abs = safeRel(rel);
    if (!fs.existsSync(abs)) return { path: rel, existed: false };
    const st = fs.statSync(abs);
    return { path: rel, existed: true, sha256: sha256(abs), mode: st.mode & 0o7777, owner: `${st.uid}:${st.gid}` };
  }

  function restore(manifest) {
    const restored = [];
    const removed = [];
    for (const e of manifest.entries) {
      const abs = safeRel(e.path);
      if (!e.existed) {
        fs.rmSync(abs, { force: true });
        removed.push(e.path);
        continue;
      }
      // Already right (e.g. never replaced before the failure): skip, so a full disk cannot block the restore.
      if (fs.existsSync(abs) && sha256(abs) === e.sha256) {
        if ((fs.statSync(abs).mode & 0o7777) !== (e.mode ?? 0o644)) fs.chmodSync(abs, e.mode ?? 0o644);
        continue;
      }
      if (!objectOk(e.sha256)) throw new Error(`object for ${e.path} missing or corrupt (${e.sha256})`);
      fs.mkdirSync(dirname(abs), { recursive: true });
      const tmp = `${abs}.lp-restore-${process.pid}`;
      try {
        fs.copyFileSync(join(objects, e.sha256), tmp);
      } catch (err) {
        fs.rmSync(tmp, { force: true });
        throw err;
      }
      fs.chmodSync(tmp, e.mode ?? 0o644);
      fs.renameSync(tmp, abs);
      restored.push(e.path);
    }
    const mismatched = manifest.entries.filter((e) => (e.existed ? !fs.existsSync(safeRel(e.path)) || sha256(safeRel(e.path)) !== e.sha256 : fs.existsSync(safeRel(e.path))));
    if (mismatched.length) throw new Error(`restore verify failed for: ${mismatched.map((e) => e.path).join(', ')}`);
    return { restored, removed, verified: true };
  }

  /**
   * Removes what killed runs leave beside the given files (upload and restore temps) and in the content
   * store (object temps). A temp is never live: every rename into place is atomic.
   */
  function sweepTemps(paths) {
    const swept = [];
    const sweepDir = (dir, isTemp) => {
      if (!fs.existsSync(dir)) return;
      for (const name of fs.readdirSync(dir)) {
        if (!isTemp(name)) continue;
        fs.rmSync(join(dir, name), { force: true });
        swept.push(join(dir, name));
      }
    };
    for (const rel of paths) {
      const abs = safeRel(rel);
      const base = basename(abs);
      sweepDir(dirname(abs), (n) => n.startsWith(`${base}.lp-upload-`) || n.startsWith(`${base}.lp-restore-`));
    }
    sweepDir(objects, (n) => n.includes('.tmp-'));
    return swept;
  }

  function readRecords() {
    if (!fs.existsSync(releasesFile)) return [];
    return fs.readFileSync(releasesFile, 'utf8').split('\n').filter(Boolean).map((l) => JSON.parse(l));
  }
  const verifiedCount = (id) => readRecords().filter((r) => r.id === id && r.status === 'verified').length;
  const currentManifest = () => [...readRecords()].reverse().find((r) => r.status === 'verified' && r.manifest)?.manifest;
  const readPending = () => (fs.existsSync(pendingFile) ? readJson(pendingFile) : undefined);

  /**
   * Settles a pending change: one the deploy confirmed (a verified record newer than the marker) just
   * drops the marker; otherwise, once the deadline has passed, its backup is restored and recorded.
   */
  function settlePending() {
    const pending = readPending();
    if (!pending) return { state: 'none' };
    const { releaseId } = pending;
    const clear = () => {
      fs.rmSync(pendingFile, { force: true });
      fs.rmSync(deadlineFile, { force: true });
    };
    // A rollback marks pending a release that was verified before: only a newer verified record confirms it.
    if (verifiedCount(releaseId) > (pending.verifiedBefore ?? 0)) {
      clear();
      return { state: 'confirmed', releaseId };
    }
    const deadline = Number(fs.existsSync(deadlineFile) ? fs.readFileSync(deadlineFile, 'utf8').trim() : 0);
    if (now() < deadline) return { state: 'not-due', releaseId };
    const manifest = readJson(join(backups, releaseId, 'manifest.json'));
    const res = restore(manifest);
    const swept = sweepTemps(manifest.entries.map((e) => e.path));
    const reason = deadline === 0 ? 'taken over: the change that armed it is gone' : 'confirm deadline passed: the change did not confirm in time';
    fs.appendFileSync(releasesFile, `${JSON.stringify({ id: releaseId, time: new Date(now()).toISOString(), status: 'reverted', reason })}\n`);
    clear();
    return { state: 'reverted', releaseId, ...res, swept };
  }

  /**
   * The backup of `files` before a change: the last verified release's entries, restored from its objects
   * (never whatever happens to be on disk, which may be a failed release's leftovers). Only a host with no
   * verified release yet is described from its disk.
   */
  function backupEntries(files) {
    const current = currentManifest();
    if (!current) {
      const entries = files.map(describe);
      for (const e of entries) if (e.existed) storeObject(safeRel(e.path), e.sha256);
      return entries;
    }
    const byPath = new Map(current.map((e) => [e.path, e]));
    return files.map((path) => {
      safeRel(path);
      const e = byPath.get(path);
      if (!e) return { path, existed: false };
      if (!objectOk(e.sha256)) {
        const abs = safeRel(path);
        if (!fs.existsSync(abs) || sha256(abs) !== e.sha256) throw new Error(`backup: the verified object of ${path} (${e.sha256}) is missing and the disk holds other bytes`);
        storeObject(abs, e.sha256);
      }
      return { path, existed: true, sha256: e.sha256, mode: e.mode };
    });
  }

  const ops = {
    /** stdin {files}: hash + mode of each, null when missing (preflight diff). */
    hash: () => out({ files: readStdin().files.map(describe) }),
    /** stdin {files}: back up exactly these (from the verified release) into backups/<id>/manifest.json. */
    backup: () => {
      fs.mkdirSync(objects, { recursive: true, mode: 0o700 });
      const files = readStdin().files;
      sweepTemps(files);
      const entries = backupEntries(files);
      const dir = join(backups, arg);
      fs.mkdirSync(dir, { recursive: true, mode: 0o700 });
      const manifest = { releaseId: arg, createdAt: new Date(now()).toISOString(), entries };
      writeAtomic(join(dir, 'manifest.json'), JSON.stringify(manifest));
      out(manifest);
    },
    /**
     * Marks backups/<arg> pending with a deadline `arg2` ms from now: the revert timer restores it once the
     * deadline passes unconfirmed. Everything comes from argv, so the marker is whole or absent.
     */
    arm: () => {
      const windowMs = Number(arg2);
      if (!/^[A-Za-z0-9._-]+$/.test(arg ?? '') || !Number.isInteger(windowMs) || windowMs <= 0) throw new Error('usage: arm <appDir> <releaseId> <windowMs>');
      if (!fs.existsSync(join(backups, arg, 'manifest.json'))) throw new Error(`arm: release ${arg} has no backup: back up before arming`);
      const held = readPending();
      if (held && held.releaseId !== arg) throw new Error(`arm: release ${held.releaseId} is still pending: settle it first`);
      const deadline = now() + windowMs;
      writeAtomic(deadlineFile, String(deadline));
      writeAtomic(pendingFile, JSON.stringify({ releaseId: arg, verifiedBefore: verifiedCount(arg) }));
      out({ releaseId: arg, deadline });
    },
    /** stdin {files}: put the deployed files into the content store; prints the full manifest. */
    store: () => {
      const entries = readStdin().files.map(describe);
      const missing = entries.filter((e) => !e.existed).map((e) => e.path);
      if (missing.length) throw new Error(`store: missing after upload: ${missing.join(', ')}`);
      for (const e of entries) storeObject(safeRel(e.path), e.sha256);
      out({ entries: entries.map(({ path, sha256: h, mode }) => ({ path, sha256: h, mode })) });
    },
    /** Restores backups/<arg>/manifest.json, or a manifest given on stdin when arg is "-". */
    restore: () => out(restore(arg === '-' ? readStdin() : readJson(join(backups, arg, 'manifest.json')))),
    /** Appends one releases record line (stdin JSON). */
    record: () => {
      fs.appendFileSync(releasesFile, `${JSON.stringify(checkRecord(readStdin()))}\n`, { mode: 0o600 });
      out({ ok: true });
    },
    records: () => out({ records: readRecords() }),
    /**
     * Confirms the pending change: its verified record (stdin, after the `before` records in the same
     * write) first, then the marker, so a death in between leaves a verified release that the next tick
     * merely un-marks. A change that is no longer pending (its revert fired) is not confirmed.
     */
    confirm: () => {
      const { before = [], ...rest } = readStdin();
      const rec = checkRecord(rest);
      if (rec.status !== 'verified' || !Array.isArray(rec.manifest)) throw new Error('confirm: needs a verified record with its manifest');
      if (readPending()?.releaseId !== rec.id) throw new Error(`confirm: ${rec.id} is not pending any more (its revert fired?)`);
      fs.appendFileSync(releasesFile, [...before.map(checkRecord), rec].map((r) => `${JSON.stringify(r)}\n`).join(''), { mode: 0o600 });
      fs.rmSync(pendingFile, { force: true });
      fs.rmSync(deadlineFile, { force: true });
      out({ ok: true });
    },
    /**
     * What reconcile judges: the records, the pending change with its backup, the disk's hashes of every
     * path either names, which of their objects are stored intact, and when a release file last changed.
     */
    state: () => {
      const records = readRecords();
      const pending = readPending();
      const backup = pending && fs.existsSync(join(backups, pending.releaseId, 'manifest.json')) ? readJson(join(backups, pending.releaseId, 'manifest.json')).entries : undefined;
      const paths = new Set([...(currentManifest() ?? []).map((e) => e.path), ...(backup ?? []).map((e) => e.path)]);
      const disk = [...paths].map((p) => ({ path: p, sha256: fs.existsSync(safeRel(p)) ? sha256(safeRel(p)) : null }));
      const hashes = new Set([...(currentManifest() ?? []), ...(backup ?? [])].map((e) => e.sha256).filter(Boolean));
      const changedAt = Math.max(0, ...[...paths].filter((p) => fs.existsSync(safeRel(p))).map((p) => fs.statSync(safeRel(p)).mtimeMs));
      out({ records, pending: pending ? { releaseId: pending.releaseId, backup: backup ?? null } : null, disk, objects: [...hashes].filter(objectOk), changedAt, now: now() });
    },
    /** Run by the revert timer: exit 0 = reverted (caller restarts), 10 = not due, 11 = nothing pending, 12 = reverted, nothing had changed. */
    revert: () => {
      const r = settlePending();
      if (r.state === 'none' || r.state === 'confirmed') throw new Exit(11);
      if (r.state === 'not-due') throw new Exit(10);
      out(r);
      throw new Exit(r.restored.length + r.removed.length > 0 ? 0 : 12);
    },
    /** Run by reconcile under a dead deployer's lock: the timer's next tick reverts the pending change. */
    expire: () => {
      const pending = readPending();
      if (pending) writeAtomic(deadlineFile, '0');
      out({ releaseId: pending?.releaseId ?? null });
    },
    /** Keeps backups/objects referenced by the last `arg` verified releases (and any pending one). */
    prune: () => {
      const keep = Number(arg);
      const records = readRecords();
      const verified = [...new Set(records.filter((r) => r.status === 'verified').map((r) => r.id))].slice(-keep);
      const keepIds = new Set(verified);
      const pending = readPending();
      if (pending) keepIds.add(pending.releaseId);
      const live = new Set();
      for (const r of records) if (keepIds.has(r.id)) for (const e of r.manifest ?? []) live.add(e.sha256);
      const removedBackups = [];
      for (const d of fs.readdirSync(backups)) {
        const mf = join(backups, d, 'manifest.json');
        // Only release backup dirs (they hold a manifest) are pruned; deps.sha256, objects/ etc. stay.
        if (!fs.existsSync(mf)) continue;
        if (keepIds.has(d)) {
          for (const e of readJson(mf).entries) if (e.sha256) live.add(e.sha256);
          continue;
        }
        fs.rmSync(join(backups, d), { recursive: true, force: true });
        removedBackups.push(d);
      }
      let removedObjects = 0;
      for (const o of fs.readdirSync(objects)) {
        if (!live.has(o)) {
          fs.rmSync(join(objects, o), { force: true });
          removedObjects += 1;
        }
      }
      out({ kept: [...keepIds], removedBackups, removedObjects });
    },
  };

  try {
    if (!ops[op] || !appDir) throw new Error(`usage: leakproof-host <${Object.keys(ops).join('|')}> <appDir> [arg]`);
    ops[op]();
    return { code: 0, stdout };
  } catch (err) {
    if (err instanceof Exit) return { code: err.code, stdout };
    return { code: 1, stdout: `${JSON.stringify({ error: err.message, code: err.code })}\n` };
  }
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const argv = process.argv.slice(2);
  let stdinText = '';
  if (STDIN_OPS.has(argv[0]) || (argv[0] === 'restore' && argv[2] === '-')) {
    process.stdin.setEncoding('utf8');
    for await (const chunk of process.stdin) stdinText += chunk;
  }
  // A caller that is gone closes our stdout: the work is done by then, and EPIPE must not turn it into a
  // failure exit (the command line that armed the revert starts the timer only after this tool exits 0).
  process.stdout.on('error', () => undefined);
  const r = runHostOp(nodeFs, Date.now, argv, stdinText);
  process.stdout.write(r.stdout);
  process.exitCode = r.code;
}
