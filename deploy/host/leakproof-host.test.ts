// @module-tag e2e
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';

const TOOL = fileURLToPath(new URL('./leakproof-host.mjs', import.meta.url));
const tool = (op: string, dir: string, arg?: string | string[], stdin?: unknown) => {
  const r = spawnSync(process.execPath, [TOOL, op, dir, ...(arg === undefined ? [] : [arg].flat())], { input: stdin === undefined ? '' : JSON.stringify(stdin), encoding: 'utf8' });
  return { code: r.status, out: JSON.parse(r.stdout.trim() || '{}') as Record<string, unknown> };
};

// Each test spawns node several times: on a loaded 2-core CI machine one spawn was measured at 5-10 s.
describe('leakproof-host (the host-side tool, run locally on a temp app dir)', { timeout: 120_000 }, () => {
  let dir: string;
  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'lp host $(x) '));
    await mkdir(join(dir, 'app'), { recursive: true });
    await writeFile(join(dir, 'app/a.ts'), 'old a');
  });
  afterEach(() => rm(dir, { recursive: true, force: true }));

  it('backs up exactly the listed files, records missing ones, and restores both ways', async () => {
    const b = tool('backup', dir, 'r1', { files: ['app/a.ts', 'app/new.ts'] });
    expect(b.code).toBe(0);
    expect(b.out.entries).toEqual([expect.objectContaining({ path: 'app/a.ts', existed: true }), { path: 'app/new.ts', existed: false }]);
    await writeFile(join(dir, 'app/a.ts'), 'new a');
    await writeFile(join(dir, 'app/new.ts'), 'new file');
    const r = tool('restore', dir, 'r1');
    expect(r.out).toEqual({ restored: ['app/a.ts'], removed: ['app/new.ts'], verified: true });
    expect(await readFile(join(dir, 'app/a.ts'), 'utf8')).toBe('old a');
  });

  it('refuses a corrupt object instead of restoring garbage', async () => {
    const b = tool('backup', dir, 'r1', { files: ['app/a.ts'] });
    const sha = (b.out.entries as { sha256: string }[])[0]!.sha256;
    await writeFile(join(dir, 'backups/objects', sha), 'tampered');
    await writeFile(join(dir, 'app/a.ts'), 'new a');
    expect(tool('restore', dir, 'r1')).toMatchObject({ code: 1, out: { error: expect.stringMatching(/missing or corrupt/) } });
  });

  it('rejects unsafe manifest paths', () => {
    expect(tool('restore', dir, '-', { entries: [{ path: '../../etc/passwd', existed: false }] }).out.error).toMatch(/unsafe path/);
  });

  it('revert: not due (10), due (0, records reverted), nothing pending (11)', async () => {
    tool('backup', dir, 'r2', { files: ['app/a.ts'] });
    await writeFile(join(dir, 'app/a.ts'), 'broken');
    await writeFile(join(dir, 'backups/pending.json'), JSON.stringify({ releaseId: 'r2' }));
    await writeFile(join(dir, 'backups/deadline'), String(Date.now() + 60_000));
    expect(tool('revert', dir).code).toBe(10);
    await writeFile(join(dir, 'backups/deadline'), String(Date.now() - 1));
    expect(tool('revert', dir).code).toBe(0);
    expect(await readFile(join(dir, 'app/a.ts'), 'utf8')).toBe('old a');
    expect(execFileSync('cat', [join(dir, 'releases.jsonl')], { encoding: 'utf8' })).toMatch(/"id":"r2".*"status":"reverted"/);
    expect(tool('revert', dir).code).toBe(11);
  });

  it('revert sweeps the upload and object temps a killed run left, and says 12 when nothing had changed', async () => {
    tool('backup', dir, 'r3', { files: ['app/a.ts'] });
    await writeFile(join(dir, 'app/a.ts.lp-upload-r3-4242'), 'half an upload');
    await writeFile(join(dir, 'backups/objects/abc.tmp-4242'), 'half an object');
    await writeFile(join(dir, 'backups/pending.json'), JSON.stringify({ releaseId: 'r3' }));
    await writeFile(join(dir, 'backups/deadline'), String(Date.now() - 1));
    const r = tool('revert', dir);
    expect(r.code).toBe(12);
    expect(r.out).toMatchObject({ state: 'reverted', restored: [], swept: [join(dir, 'app/a.ts.lp-upload-r3-4242'), join(dir, 'backups/objects/abc.tmp-4242')] });
    expect(execFileSync('ls', ['-a', join(dir, 'app'), join(dir, 'backups')], { encoding: 'utf8' })).not.toMatch(/lp-upload|pending|deadline/);
  });

  it('backup sweeps upload temps of its files before it runs (temps of a run killed before any revert)', async () => {
    await writeFile(join(dir, 'app/a.ts.lp-upload-old-1'), 'stale');
    tool('backup', dir, 'r4', { files: ['app/a.ts'] });
    expect(execFileSync('ls', [join(dir, 'app')], { encoding: 'utf8' })).toBe('a.ts\n');
  });

  it('confirm records verified and un-marks; a verified-but-still-marked release is never reverted', async () => {
    tool('backup', dir, 'r5', { files: ['app/a.ts'] });
    await writeFile(join(dir, 'app/a.ts'), 'new a');
    const mark = async () => {
      await writeFile(join(dir, 'backups/pending.json'), JSON.stringify({ releaseId: 'r5' }));
      await writeFile(join(dir, 'backups/deadline'), String(Date.now() - 1));
    };
    await mark();
    expect(tool('confirm', dir, undefined, { id: 'r5', time: 't', status: 'verified', manifest: [] }).code).toBe(0);
    expect(execFileSync('ls', [join(dir, 'backups')], { encoding: 'utf8' })).not.toMatch(/pending/);
    // A death between the record and the un-marking: the next tick only un-marks.
    await mark();
    expect(tool('revert', dir).code).toBe(11);
    expect(await readFile(join(dir, 'app/a.ts'), 'utf8')).toBe('new a');
  });

  it('heal settles a pending release at once, deadline or not, and reports it', async () => {
    tool('backup', dir, 'r6', { files: ['app/a.ts'] });
    await writeFile(join(dir, 'app/a.ts'), 'killed mid-deploy');
    await writeFile(join(dir, 'backups/pending.json'), JSON.stringify({ releaseId: 'r6' }));
    await writeFile(join(dir, 'backups/deadline'), String(Date.now() + 60_000));
    expect(tool('heal', dir).out).toMatchObject({ state: 'reverted', releaseId: 'r6', restored: ['app/a.ts'] });
    expect(await readFile(join(dir, 'app/a.ts'), 'utf8')).toBe('old a');
    expect(tool('heal', dir).out).toEqual({ state: 'none' });
  });

  it('arm marks a backed-up release pending from argv alone (no stdin a killed caller could cut short)', async () => {
    expect(tool('arm', dir, ['r7', '6000']).out.error).toMatch(/no backup/);
    tool('backup', dir, 'r7', { files: ['app/a.ts'] });
    expect(tool('arm', dir, ['r7; rm -rf /', '6000']).out.error).toMatch(/usage: arm/);
    const before = Date.now();
    const r = tool('arm', dir, ['r7', '6000']);
    expect(r).toMatchObject({ code: 0, out: { releaseId: 'r7' } });
    expect(JSON.parse(await readFile(join(dir, 'backups/pending.json'), 'utf8'))).toEqual({ releaseId: 'r7' });
    expect(Number(await readFile(join(dir, 'backups/deadline'), 'utf8'))).toBeGreaterThanOrEqual(before + 6000);
    expect(tool('revert', dir).code).toBe(10);
  });

  it('a request cut short (the deploy killed while sending it) changes nothing', async () => {
    tool('backup', dir, 'r8', { files: ['app/a.ts'] });
    tool('arm', dir, ['r8', '60000']);
    const confirm = { id: 'r8', time: 't', status: 'verified', manifest: [] };
    for (const input of ['', JSON.stringify(confirm).slice(0, 20)]) {
      for (const op of ['confirm', 'record']) {
        const r = spawnSync(process.execPath, [TOOL, op, dir], { input, encoding: 'utf8' });
        expect(r.status, `${op} <${input}>`).toBe(1);
        expect(r.stdout).toMatch(/no request on stdin|incomplete request/);
      }
    }
    expect(execFileSync('ls', [join(dir, 'backups')], { encoding: 'utf8' })).toMatch(/pending\.json/);
    expect(execFileSync('sh', ['-c', 'cat "$1"/releases.jsonl 2>/dev/null || true', 'sh', dir], { encoding: 'utf8' })).toBe('');
  });

  it('an unreadable pending marker is named, not a bare JSON error', async () => {
    await mkdir(join(dir, 'backups'), { recursive: true });
    await writeFile(join(dir, 'backups/pending.json'), '');
    expect(tool('heal', dir).out.error).toMatch(/backups\/pending\.json: unreadable \(Unexpected end of JSON input\)/);
  });

  it('prune keeps the last N verified releases and their objects only', async () => {
    const ids = ['r1', 'r2', 'r3'];
    for (const [i, id] of ids.entries()) {
      await writeFile(join(dir, 'app/a.ts'), `content ${i}`);
      tool('backup', dir, id, { files: ['app/a.ts'] });
      const s = tool('store', dir, undefined, { files: ['app/a.ts'] });
      tool('record', dir, undefined, { id, time: 't', status: 'verified', manifest: s.out.entries });
    }
    await writeFile(join(dir, 'backups/deps.sha256'), 'x');
    const p = tool('prune', dir, '1');
    expect(p.out).toMatchObject({ kept: ['r3'], removedBackups: expect.arrayContaining(['r1', 'r2']) });
    expect(await readFile(join(dir, 'backups/deps.sha256'), 'utf8')).toBe('x');
  });

  it('reads stdin that arrives late on a non-blocking pipe (as sshd hands it over) instead of failing EAGAIN', () => {
    // python sets O_NONBLOCK on the pipe, then execs the tool; the JSON comes 300 ms later.
    const nonBlocking = `import os, fcntl, sys; fcntl.fcntl(0, fcntl.F_SETFL, fcntl.fcntl(0, fcntl.F_GETFL) | os.O_NONBLOCK); os.execv(sys.argv[1], sys.argv[1:])`;
    const script = `(sleep 0.3; printf '%s' '{"files":["app/a.ts"]}') | python3 -c "$1" "$2" "$3" hash "$4"`;
    const r = spawnSync('sh', ['-c', script, 'sh', nonBlocking, process.execPath, TOOL, dir], { encoding: 'utf8', timeout: 20_000 });
    expect(r.stdout, r.stderr).toMatch(/"path":"app\/a.ts","existed":true/);
    expect(r.status).toBe(0);
  });
});
