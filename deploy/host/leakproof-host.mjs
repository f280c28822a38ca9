#!/usr/bin/env node
// Host-side helper, installed root-owned by `deploy setup` and run by the deploy user (and by the
// revert timer, dropped to that user). Built-ins only: it must work while the app's node_modules
// are broken. Every operation prints one JSON object on stdout; failures exit non-zero with a
// JSON {error} so the caller gets a reason, never a partial success.
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { appendFileSync, chmodSync, chownSync, copyFileSync, existsSync, mkdirSync, readFileSync, readdirSync, readlinkSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import process from 'node:process';
import { setTimeout as sleep } from 'node:timers/promises';
/* global fetch, AbortSignal -- Node 20's own, used by the metrics scrape */

const [op, appDir, arg, arg2] = process.argv.slice(2);
const backups = join(appDir ?? '', 'backups');
const objects = join(backups, 'objects');
const releasesFile = join(appDir ?? '', 'releases.jsonl');
const pendingFile = join(backups, 'pending.json');
const deadlineFile = join(backups, 'deadline');

const sha256 = (file) => createHash('sha256').update(readFileSync(file)).digest('hex');
// stdin is read with a stream before the op runs: readFileSync(0) throws EAGAIN when sshd hands over a
// non-blocking pipe whose data has not arrived yet (seen under load in the concurrent-deploy test).
const STDIN_OPS = new Set(['hash', 'backup', 'store', 'record', 'confirm']);
let stdinText = '';
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
const readRecordRequest = () => {
  const rec = readStdin();
  if (typeof rec.id !== 'string' || typeof rec.status !== 'string' || typeof rec.time !== 'string') throw new Error(`${op}: a record needs id, time and status`);
  return rec;
};
// A caller that is gone closes our stdout: the work is done by then, and EPIPE must not turn it into a
// failure exit (the command line that armed the revert starts the timer only after this tool exits 0).
process.stdout.on('error', () => undefined);
const out = (obj) => process.stdout.write(`${JSON.stringify(obj)}\n`);
/** Readers of the files the tool writes name the file when it is unreadable. */
const readJson = (file) => {
  try {
    return JSON.parse(readFileSync(file, 'utf8'));
  } catch (err) {
    throw new Error(`${file}: ${err.code === 'ENOENT' ? 'missing' : `unreadable (${err.message})`}`, { cause: err });
  }
};
/** Temp + rename: a reader (the revert timer, a later deploy) never sees a half-written file. */
const writeAtomic = (file, text) => {
  writeFileSync(`${file}.tmp-${process.pid}`, text);
  renameSync(`${file}.tmp-${process.pid}`, file);
};
/** Peak RSS while writing a heap snapshot, as a multiple of the RSS before: 3.3x measured on the service (docs/deploy-watch.md). */
const SNAPSHOT_RSS_FACTOR = 4;
const safeRel = (p) => {
  if (typeof p !== 'string' || !p || p.startsWith('/') || p.split('/').includes('..') || /[\n\t\0]/.test(p)) {
    throw new Error(`unsafe path in manifest: ${JSON.stringify(p)}`);
  }
  return join(appDir, p);
};

/** Copies into the content store under a temp name, verifies, then renames: never a torn object. */
function storeObject(file, hash) {
  const dest = join(objects, hash);
  if (existsSync(dest) && sha256(dest) === hash) return;
  const tmp = `${dest}.tmp-${process.pid}`;
  copyFileSync(file, tmp);
  if (sha256(tmp) !== hash) throw new Error(`object ${hash}: copy does not match its hash`);
  renameSync(tmp, dest);
}

function describe(rel) {
  const abs = safeRel(rel);
  if (!existsSync(abs)) return { path: rel, existed: false };
  const st = statSync(abs);
  return { path: rel, existed: true, sha256: sha256(abs), mode: st.mode & 0o7777, owner: `${st.uid}:${st.gid}` };
}

function restore(manifest) {
  const restored = [];
  const removed = [];
  for (const e of manifest.entries) {
    const abs = safeRel(e.path);
    if (!e.existed) {
      rmSync(abs, { force: true });
      removed.push(e.path);
      continue;
    }
    // Already right (e.g. never replaced before the failure): skip, so a full disk cannot block the restore.
    if (existsSync(abs) && sha256(abs) === e.sha256) {
      if ((statSync(abs).mode & 0o7777) !== (e.mode ?? 0o644)) chmodSync(abs, e.mode ?? 0o644);
      continue;
    }
    const obj = join(objects, e.sha256);
    if (!existsSync(obj) || sha256(obj) !== e.sha256) throw new Error(`object for ${e.path} missing or corrupt (${e.sha256})`);
    mkdirSync(dirname(abs), { recursive: true });
    const tmp = `${abs}.lp-restore-${process.pid}`;
    copyFileSync(obj, tmp);
    chmodSync(tmp, e.mode ?? 0o644);
    renameSync(tmp, abs);
    restored.push(e.path);
  }
  const mismatched = manifest.entries.filter((e) => (e.existed ? !existsSync(safeRel(e.path)) || sha256(safeRel(e.path)) !== e.sha256 : existsSync(safeRel(e.path))));
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
    if (!existsSync(dir)) return;
    for (const name of readdirSync(dir)) {
      if (!isTemp(name)) continue;
      rmSync(join(dir, name), { force: true });
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

/**
 * Settles a pending deploy: a release the deploy confirmed (verified record written) just drops the
 * marker; otherwise, once the deadline has passed (or `force`), its backup is restored and recorded.
 */
function settlePending(force) {
  if (!existsSync(pendingFile)) return { state: 'none' };
  const { releaseId } = readJson(pendingFile);
  const clear = () => {
    rmSync(pendingFile, { force: true });
    rmSync(deadlineFile, { force: true });
  };
  if (readRecords().some((r) => r.id === releaseId && r.status === 'verified')) {
    clear();
    return { state: 'confirmed', releaseId };
  }
  const deadline = Number(existsSync(deadlineFile) ? readFileSync(deadlineFile, 'utf8').trim() : 0);
  if (!force && Date.now() < deadline) return { state: 'not-due', releaseId };
  const manifest = readJson(join(backups, releaseId, 'manifest.json'));
  const res = restore(manifest);
  const swept = sweepTemps(manifest.entries.map((e) => e.path));
  const reason = force ? 'taken over: the deploy that armed it is gone' : 'confirm deadline passed: the deploy did not confirm in time';
  appendFileSync(releasesFile, `${JSON.stringify({ id: releaseId, time: new Date().toISOString(), status: 'reverted', reason })}\n`);
  clear();
  return { state: 'reverted', releaseId, ...res, swept };
}

function readRecords() {
  if (!existsSync(releasesFile)) return [];
  return readFileSync(releasesFile, 'utf8').split('\n').filter(Boolean).map((l) => JSON.parse(l));
}

const ops = {
  /** stdin {files}: hash + mode of each, null when missing (preflight diff). */
  hash: () => out({ files: readStdin().files.map(describe) }),
  /** stdin {files}: back up exactly these into objects + backups/<id>/manifest.json, verified. */
  backup: () => {
    mkdirSync(objects, { recursive: true, mode: 0o700 });
    const files = readStdin().files;
    sweepTemps(files);
    const entries = files.map(describe);
    for (const e of entries) if (e.existed) storeObject(safeRel(e.path), e.sha256);
    for (const e of entries) if (e.existed && sha256(join(objects, e.sha256)) !== e.sha256) throw new Error(`backup verify failed: ${e.path}`);
    const dir = join(backups, arg);
    mkdirSync(dir, { recursive: true, mode: 0o700 });
    const manifest = { releaseId: arg, createdAt: new Date().toISOString(), entries };
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
    if (!existsSync(join(backups, arg, 'manifest.json'))) throw new Error(`arm: release ${arg} has no backup: back up before arming`);
    const deadline = Date.now() + windowMs;
    writeAtomic(deadlineFile, String(deadline));
    writeAtomic(pendingFile, JSON.stringify({ releaseId: arg }));
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
    appendFileSync(releasesFile, `${JSON.stringify(readRecordRequest())}\n`, { mode: 0o600 });
    out({ ok: true });
  },
  records: () => out({ records: readRecords() }),
  /**
   * Confirms a pending deploy: the verified record (stdin) first, then the marker, so a death in between
   * leaves a verified release that the next tick merely un-marks, never an unrecorded live one.
   */
  confirm: () => {
    const rec = readRecordRequest();
    if (rec.status !== 'verified' || !Array.isArray(rec.manifest)) throw new Error('confirm: needs a verified record with its manifest');
    appendFileSync(releasesFile, `${JSON.stringify(rec)}\n`, { mode: 0o600 });
    rmSync(pendingFile, { force: true });
    rmSync(deadlineFile, { force: true });
    out({ ok: true });
  },
  /** Run by the revert timer: exit 0 = reverted (caller restarts), 10 = not due, 11 = nothing pending, 12 = reverted, nothing had changed. */
  revert: () => {
    const r = settlePending(false);
    if (r.state === 'none' || r.state === 'confirmed') return process.exit(11);
    if (r.state === 'not-due') return process.exit(10);
    out(r);
    process.exit(r.restored.length + r.removed.length > 0 ? 0 : 12);
  },
  /** Run by a deploy that took over a dead run's lock: settles its pending release now. */
  heal: () => out(settlePending(true)),
  /** Keeps backups/objects referenced by the last `arg` verified releases (and any pending one). */
  prune: () => {
    const keep = Number(arg);
    const records = readRecords();
    const verified = [...new Set(records.filter((r) => r.status === 'verified').map((r) => r.id))].slice(-keep);
    const keepIds = new Set(verified);
    if (existsSync(pendingFile)) keepIds.add(readJson(pendingFile).releaseId);
    const live = new Set();
    for (const r of records) if (keepIds.has(r.id)) for (const e of r.manifest ?? []) live.add(e.sha256);
    const removedBackups = [];
    for (const d of readdirSync(backups)) {
      const mf = join(backups, d, 'manifest.json');
      // Only release backup dirs (they hold a manifest) are pruned; deps.sha256, objects/ etc. stay.
      if (!existsSync(mf)) continue;
      if (keepIds.has(d)) {
        for (const e of readJson(mf).entries) if (e.sha256) live.add(e.sha256);
        continue;
      }
      rmSync(join(backups, d), { recursive: true, force: true });
      removedBackups.push(d);
    }
    let removedObjects = 0;
    for (const o of readdirSync(objects)) {
      if (!live.has(o)) {
        rmSync(join(objects, o), { force: true });
        removedObjects += 1;
      }
    }
    out({ kept: [...keepIds], removedBackups, removedObjects });
  },
  /**
   * Scrapes the service's /metrics on the loopback port `arg` (from its "HTTP listening" line): the deploy
   * reads it over its SSH session, so the service never needs a port open to the deploying machine.
   */
  metrics: async () => {
    const port = Number(arg);
    if (!Number.isInteger(port) || port < 1 || port > 65535) throw new Error('usage: metrics <appDir> <port>');
    const res = await fetch(`http://127.0.0.1:${port}/metrics`, { signal: AbortSignal.timeout(10_000) });
    if (!res.ok) throw new Error(`metrics: HTTP ${res.status}`);
    const lines = (await res.text()).split('\n').filter((l) => l.startsWith('leakproof_') || l.startsWith('process_resident_memory_bytes'));
    out({ at: Date.now(), lines });
  },
  /**
   * Run as root (one exact sudoers line): has the unit's main process write a heap snapshot with Node's
   * --heapsnapshot-signal into its private state dir (`appDir` here), waits until the process closed
   * the file, and hands it (still 0600) to the calling user in `<dir>.out` for an SFTP download. Also
   * reads the process' RSS before and its peak RSS (VmHWM) after, the cost of writing it.
   */
  'heap-snapshot': async () => {
    const dir = appDir;
    if (!/^\/[\w./-]+$/.test(dir) || dir.split('/').includes('..') || !/^[\w@.-]+\.service$/.test(arg ?? '')) throw new Error('usage: heap-snapshot <heapDir> <unit.service>');
    const pid = Number(spawnSync('systemctl', ['show', '-p', 'MainPID', '--value', arg], { encoding: 'utf8' }).stdout.trim());
    if (!(pid > 0)) throw new Error(`heap-snapshot: ${arg} has no main process`);
    const kb = (key) => Number(new RegExp(`^${key}:\\s+(\\d+)`, 'm').exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1] ?? NaN);
    const rssBeforeKb = kb('VmRSS');
    const hwmBeforeKb = kb('VmHWM');
    // V8 builds the whole graph in C++ memory before writing: the service peaked at 3.3x its RSS (heaps of
    // only small records reach 8-13x, deploy/heap/testing/measure-snapshot-peak.ts). Refused when the host lacks that much.
    const needKb = SNAPSHOT_RSS_FACTOR * rssBeforeKb;
    const availableKb = Number(/^MemAvailable:\s+(\d+)/m.exec(readFileSync('/proc/meminfo', 'utf8'))?.[1] ?? 0);
    if (availableKb < needKb) throw new Error(`heap-snapshot: needs about ${Math.round(needKb / 1024)} MB (${SNAPSHOT_RSS_FACTOR}x its RSS), the host has ${Math.round(availableKb / 1024)} MB available`);
    // The unit's own limits would kill the process mid-snapshot: lifted for this process only (runtime), put back after.
    const show = (p) => spawnSync('systemctl', ['show', '-p', p, '--value', arg], { encoding: 'utf8' }).stdout.trim();
    const limits = ['MemoryHigh', 'MemoryMax'].map((p) => `${p}=${show(p) || 'infinity'}`);
    const lifted = spawnSync('systemctl', ['set-property', '--runtime', arg, 'MemoryHigh=infinity', 'MemoryMax=infinity']).status === 0;
    const before = new Set(readdirSync(dir));
    const started = Date.now();
    process.kill(pid, 'SIGUSR2');
    const open = (file) => readdirSync(`/proc/${pid}/fd`).some((fd) => {
      try {
        return readlinkSync(`/proc/${pid}/fd/${fd}`) === file;
      } catch {
        return false;
      }
    });
    let file;
    try {
      while (Date.now() - started < 300_000) {
        await sleep(200);
        const name = readdirSync(dir).find((n) => !before.has(n) && n.endsWith('.heapsnapshot'));
        if (name && !open(join(dir, name))) {
          file = join(dir, name);
          break;
        }
      }
    } finally {
      if (lifted) spawnSync('systemctl', ['set-property', '--runtime', arg, ...limits]);
    }
    if (!file) throw new Error(`heap-snapshot: no snapshot from pid ${pid} within 300 s`);
    const ms = Date.now() - started;
    const hwmAfterKb = kb('VmHWM');
    const outDir = `${dir}.out`;
    const uid = Number(process.env.SUDO_UID ?? process.getuid());
    const gid = Number(process.env.SUDO_GID ?? process.getgid());
    mkdirSync(outDir, { recursive: true, mode: 0o700 });
    chownSync(outDir, uid, gid);
    const dest = join(outDir, basename(file));
    renameSync(file, dest);
    chownSync(dest, uid, gid);
    out({ file: dest, bytes: statSync(dest).size, mode: statSync(dest).mode & 0o777, ms, pid, rssBeforeKb, hwmBeforeKb, hwmAfterKb, limitsLifted: lifted });
  },
};

try {
  if (!ops[op] || !appDir) throw new Error(`usage: leakproof-host <${Object.keys(ops).join('|')}> <appDir> [arg]`);
  if (STDIN_OPS.has(op) || (op === 'restore' && arg === '-')) {
    process.stdin.setEncoding('utf8');
    for await (const chunk of process.stdin) stdinText += chunk;
  }
  await ops[op]();
} catch (err) {
  out({ error: err.message, code: err.code });
  process.exit(1);
}
