import { spawn } from 'node:child_process';
import { cp, mkdir, mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { bootVps, type BootVpsOptions } from '../testing/boot-vps.ts';
import { sudoersLines } from '../setup/render-host-files.ts';
import { sudoCommands } from '../testing/sudoers-rules.ts';
import type { Vps } from '../testing/vps-handle.ts';

export const REPO = resolve(import.meta.dirname, '../..');

/** setup runs its root part through `sudo -n /bin/sh`, as an admin would; tests tighten sudo afterwards. */
export function bootForDeploy(o: BootVpsOptions = {}): Promise<Vps> {
  return bootVps({ ...o, sudoCommands: [...sudoCommands({ unit: o.unit ?? 'leakproof.service' }), '/bin/sh'] });
}

/** Drops the setup-only `sh` right so every later step runs with exactly the deploy sudoers lines. */
export async function tightenSudo(vps: Vps): Promise<void> {
  const lines = sudoersLines(vps.user, vps.unit).map((l) => `${l}\n`).join('');
  await vps.execOk(['sh', '-c', `printf %s "$1" > /etc/sudoers.d/leakproof-vps`, 'sh', lines]);
}

export function hostArgs(vps: Vps): string[] {
  return ['--host', `${vps.user}@${vps.ip}`, '--identity', vps.identityFile, '--known-hosts', vps.knownHostsFile, '--app-dir', vps.appDir, '--service', vps.unit.replace(/\.service$/, '')];
}

export interface CliResult {
  code: number | null;
  stdout: string;
  stderr: string;
  ms: number;
}

/** Runs the real CLI (`deploy/deploy.ts` or `rollback/rollback.ts`) as a child, bounded in time. */
export function runCli(
  script: 'deploy/deploy.ts' | 'rollback/rollback.ts',
  args: string[],
  o: { timeoutMs?: number; kill?: AbortSignal; interrupt?: { when: RegExp; signal: NodeJS.Signals } } = {},
): Promise<CliResult & { interruptedAt?: number }> {
  const started = Date.now();
  return new Promise((res) => {
    const child = spawn(process.execPath, ['--import', 'tsx', join(REPO, script), ...args], { cwd: REPO, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    const kill = () => child.kill('SIGKILL');
    const timer = setTimeout(kill, o.timeoutMs ?? 120_000);
    o.kill?.addEventListener('abort', kill, { once: true });
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    let interruptedAt: number | undefined;
    child.stderr.on('data', (d: Buffer) => {
      stderr += d.toString();
      // Like a user's Ctrl-C (or CI's SIGTERM) at a chosen step, seen in the CLI's own progress lines.
      if (o.interrupt && interruptedAt === undefined && o.interrupt.when.test(stderr)) {
        interruptedAt = Date.now();
        child.kill(o.interrupt.signal);
      }
    });
    child.on('close', (code) => {
      clearTimeout(timer);
      res({ code, stdout, stderr, ms: Date.now() - started, interruptedAt });
    });
  });
}

const BUILD_FILES = ['package.json', 'package-lock.json'];

/**
 * A build to ship: a copy of the real app (tests, testing/ and bench/ left out) with a marker comment,
 * so each build has its own hashes, then an optional patch of one file for the broken variants.
 */
export async function makeBuild(marker: string, patch?: { file: string; from: string | RegExp; to: string }): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), `leakproof-build-${marker.replace(/[^a-z0-9]/gi, '')}-`));
  await cp(join(REPO, 'app'), join(dir, 'app'), { recursive: true, filter: (src) => !/\.test\.ts$|\/testing(\/|$)|\/bench(\/|$)/.test(src) });
  for (const f of BUILD_FILES) await cp(join(REPO, f), join(dir, f));
  const main = join(dir, 'app/main.ts');
  await writeFile(main, `${await readFile(main, 'utf8')}\n// build ${marker}\n`);
  if (patch) {
    const file = join(dir, patch.file);
    const text = await readFile(file, 'utf8');
    const next = text.replace(patch.from, patch.to);
    if (next === text) throw new Error(`makeBuild ${marker}: patch did not apply to ${patch.file}`);
    await writeFile(file, next);
  }
  // Share the deps tarball cache so setup builds `npm ci --omit=dev` once per lockfile.
  await mkdir(join(REPO, '.tmp', 'deps'), { recursive: true });
  await cp(join(REPO, '.tmp', 'deps'), join(dir, '.tmp', 'deps'), { recursive: true });
  return dir;
}

export async function writeEnvFile(dir: string, env: Record<string, string>): Promise<string> {
  const file = join(dir, 'leakproof.env');
  await writeFile(file, Object.entries(env).map(([k, v]) => `${k}=${v}\n`).join(''), { mode: 0o600 });
  return file;
}

/** sha256 of every file of a release manifest, as the host has them now. */
export async function hostHashes(vps: Vps, paths: string[]): Promise<Record<string, string | undefined>> {
  const out: Record<string, string | undefined> = {};
  for (const p of paths) out[p] = await vps.fileSha256(join(vps.appDir, p));
  return out;
}

export interface Record_ {
  id: string;
  status: string;
  manifest?: { path: string; sha256: string }[];
}

export async function releaseRecords(vps: Vps): Promise<Record_[]> {
  const text = await vps.execOk(['cat', join(vps.appDir, 'releases.jsonl')]);
  return text.split('\n').filter(Boolean).map((l) => JSON.parse(l) as Record_);
}

/** Asserts the host's files equal a verified release's manifest; returns that release id. */
export async function expectHostAtVerified(vps: Vps, id: string): Promise<void> {
  const recs = await releaseRecords(vps);
  const manifest = recs.find((r) => r.id === id && r.status === 'verified' && r.manifest)?.manifest;
  if (!manifest) throw new Error(`release ${id} is not verified on ${vps.name}`);
  const got = await hostHashes(vps, manifest.map((e) => e.path));
  const wrong = manifest.filter((e) => got[e.path] !== e.sha256).map((e) => e.path);
  if (wrong.length) throw new Error(`host ${vps.name} differs from verified release ${id} in: ${wrong.join(', ')}`);
}
