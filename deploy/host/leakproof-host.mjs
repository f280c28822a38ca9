#!/usr/bin/env node
// Host-side helper, installed root-owned by `deploy setup` and run by the deploy user (and by the
// revert timer, dropped to that user). Built-ins only: it must work while the app's node_modules
// are broken. Every operation prints one JSON object on stdout; failures exit non-zero with a
// JSON {error} so the caller gets a reason, never a partial success.
import { createHash } from 'node:crypto';
import { appendFileSync, chmodSync, copyFileSync, existsSync, mkdirSync, readFileSync, readdirSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import process from 'node:process';

const [op, appDir, arg] = process.argv.slice(2);
const backups = join(appDir ?? '', 'backups');
const objects = join(backups, 'objects');
const releasesFile = join(appDir ?? '', 'releases.jsonl');
const pendingFile = join(backups, 'pending.json');
const deadlineFile = join(backups, 'deadline');

const sha256 = (file) => createHash('sha256').update(readFileSync(file)).digest('hex');
// stdin is read with a stream before the op runs: readFileSync(0) throws EAGAIN when sshd hands over a
// non-blocking pipe whose data has not arrived yet (seen under load in the concurrent-deploy test).
const STDIN_OPS = new Set(['hash', 'backup', 'store', 'record']);
let stdinText = '';
const readStdin = () => JSON.parse(stdinText || '{}');
const out = (obj) => process.stdout.write(`${JSON.stringify(obj)}\n`);
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
    const entries = readStdin().files.map(describe);
    for (const e of entries) if (e.existed) storeObject(safeRel(e.path), e.sha256);
    for (const e of entries) if (e.existed && sha256(join(objects, e.sha256)) !== e.sha256) throw new Error(`backup verify failed: ${e.path}`);
    const dir = join(backups, arg);
    mkdirSync(dir, { recursive: true, mode: 0o700 });
    const manifest = { releaseId: arg, createdAt: new Date().toISOString(), entries };
    writeFileSync(join(dir, 'manifest.json.tmp'), JSON.stringify(manifest));
    renameSync(join(dir, 'manifest.json.tmp'), join(dir, 'manifest.json'));
    out(manifest);
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
  restore: () => out(restore(arg === '-' ? readStdin() : JSON.parse(readFileSync(join(backups, arg, 'manifest.json'), 'utf8')))),
  /** Appends one releases record line (stdin JSON). */
  record: () => {
    appendFileSync(releasesFile, `${JSON.stringify(readStdin())}\n`, { mode: 0o600 });
    out({ ok: true });
  },
  records: () => out({ records: readRecords() }),
  /** Run by the revert timer: exit 0 = reverted (caller restarts), 10 = not due, 11 = nothing pending. */
  revert: () => {
    if (!existsSync(pendingFile)) return process.exit(11);
    const pending = JSON.parse(readFileSync(pendingFile, 'utf8'));
    const deadline = Number(readFileSync(deadlineFile, 'utf8').trim());
    if (Date.now() < deadline) return process.exit(10);
    const res = restore(JSON.parse(readFileSync(join(backups, pending.releaseId, 'manifest.json'), 'utf8')));
    appendFileSync(releasesFile, `${JSON.stringify({ id: pending.releaseId, time: new Date().toISOString(), status: 'reverted', reason: 'confirm deadline passed: the deploy did not confirm in time' })}\n`);
    rmSync(pendingFile, { force: true });
    out(res);
  },
  /** Keeps backups/objects referenced by the last `arg` verified releases (and any pending one). */
  prune: () => {
    const keep = Number(arg);
    const records = readRecords();
    const verified = [...new Set(records.filter((r) => r.status === 'verified').map((r) => r.id))].slice(-keep);
    const keepIds = new Set(verified);
    if (existsSync(pendingFile)) keepIds.add(JSON.parse(readFileSync(pendingFile, 'utf8')).releaseId);
    const live = new Set();
    for (const r of records) if (keepIds.has(r.id)) for (const e of r.manifest ?? []) live.add(e.sha256);
    const removedBackups = [];
    for (const d of readdirSync(backups)) {
      const mf = join(backups, d, 'manifest.json');
      // Only release backup dirs (they hold a manifest) are pruned; deps.sha256, objects/ etc. stay.
      if (!existsSync(mf)) continue;
      if (keepIds.has(d)) {
        for (const e of JSON.parse(readFileSync(mf, 'utf8')).entries) if (e.sha256) live.add(e.sha256);
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
};

try {
  if (!ops[op] || !appDir) throw new Error(`usage: leakproof-host <${Object.keys(ops).join('|')}> <appDir> [arg]`);
  if (STDIN_OPS.has(op) || (op === 'restore' && arg === '-')) {
    process.stdin.setEncoding('utf8');
    for await (const chunk of process.stdin) stdinText += chunk;
  }
  ops[op]();
} catch (err) {
  out({ error: err.message, code: err.code });
  process.exit(1);
}
