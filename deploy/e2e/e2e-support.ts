import { spawn, type ChildProcess } from 'node:child_process';
import { cp, mkdir, mkdtemp, readFile, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
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

/**
 * `deploy setup` for a test's beforeAll; a failure carries each guest's sshd journal, so a CI log says
 * what the server saw, not only what the client was told.
 */
export async function setupOrThrow(vpses: Vps[], args: string[], timeoutMs: number): Promise<void> {
  const r = await runCli('deploy/deploy.ts', ['setup', ...args], { timeoutMs });
  if (r.code === 0) return;
  const journals = await Promise.all(
    vpses.map(async (v) => `--- sshd journal of ${v.name} (${v.ip}):\n${(await v.exec(['journalctl', '-u', 'ssh', '-n', '30', '--no-pager', '-o', 'short-precise'])).stdout}`),
  );
  throw new Error(`setup failed (exit ${r.code}): ${r.stderr}\n${journals.join('\n')}`);
}

/** The same host as an inventory entry. */
export const hostEntry = (vps: Vps) => ({
  name: vps.name,
  address: vps.ip,
  user: vps.user,
  identity: vps.identityFile,
  knownHosts: vps.knownHostsFile,
  appDir: vps.appDir,
  service: vps.unit.replace(/\.service$/, ''),
});

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
  o: {
    timeoutMs?: number;
    kill?: AbortSignal;
    interrupt?: { when: RegExp; signal: NodeJS.Signals };
    /** Called once with the CLI's process, when its progress lines first match `when` (or when it exits without that). */
    reached?: { when: RegExp; then: (child: ChildProcess) => void };
    env?: NodeJS.ProcessEnv;
  } = {},
): Promise<CliResult & { interruptedAt?: number }> {
  const started = Date.now();
  return new Promise((res) => {
    const child = spawn(process.execPath, ['--import', 'tsx', join(REPO, script), ...args], { cwd: REPO, stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, ...o.env } });
    let stdout = '';
    let stderr = '';
    const kill = () => child.kill('SIGKILL');
    const timer = setTimeout(kill, o.timeoutMs ?? 120_000);
    o.kill?.addEventListener('abort', kill, { once: true });
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    let interruptedAt: number | undefined;
    let reached = false;
    const reach = () => {
      if (!reached) o.reached?.then(child);
      reached = true;
    };
    child.stderr.on('data', (d: Buffer) => {
      stderr += d.toString();
      if (o.reached?.when.test(stderr)) reach();
      // Like a user's Ctrl-C (or CI's SIGTERM) at a chosen step, seen in the CLI's own progress lines.
      if (o.interrupt && interruptedAt === undefined && o.interrupt.when.test(stderr)) {
        interruptedAt = Date.now();
        child.kill(o.interrupt.signal);
      }
    });
    child.on('close', (code) => {
      clearTimeout(timer);
      reach();
      res({ code, stdout, stderr, ms: Date.now() - started, interruptedAt });
    });
  });
}

const BUILD_FILES = ['package.json', 'package-lock.json'];

/**
 * A project root to deploy from: a copy of the real app (tests, testing/ and bench/ left out) sharing
 * this checkout's node_modules, so the deploy's own `npm run build` bundles it. A marker export gives
 * each build its own bundle bytes (esbuild drops comments); an optional patch of one source file makes
 * the broken variants.
 */
export async function makeBuild(marker: string, patch?: { file: string; from: string | RegExp; to: string }): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), `leakproof-build-${marker.replace(/[^a-z0-9]/gi, '')}-`));
  await cp(join(REPO, 'app'), join(dir, 'app'), { recursive: true, filter: (src) => !/\.test\.ts$|\/testing(\/|$)|\/bench(\/|$)/.test(src) });
  for (const f of BUILD_FILES) await cp(join(REPO, f), join(dir, f));
  await symlink(join(REPO, 'node_modules'), join(dir, 'node_modules'));
  const main = join(dir, 'app/main.ts');
  await writeFile(main, `${await readFile(main, 'utf8')}\nexport const BUILD_MARKER = ${JSON.stringify(marker)};\n// build ${marker}\n`);
  if (patch) {
    const file = join(dir, patch.file);
    const text = await readFile(file, 'utf8');
    const next = text.replace(patch.from, patch.to);
    if (next === text) throw new Error(`makeBuild ${marker}: patch did not apply to ${patch.file}`);
    await writeFile(file, next);
  }
  return dir;
}

/**
 * A root whose `npm run build` writes a stub bundle at once, for CLI tests that stop before any host
 * changes (usage, gate and connection errors): they need a build, not a real one.
 */
export async function stubBuildRoot(dir: string): Promise<string> {
  const build = `import { mkdirSync, writeFileSync } from 'node:fs';
mkdirSync('dist', { recursive: true });
writeFileSync('dist/leakproof.mjs', 'export {};\\n');
writeFileSync('dist/leakproof.mjs.map', '{}');
writeFileSync('dist/leakproof.meta.json', JSON.stringify({ inputs: { 'app/main.ts': {} } }));
console.log(process.cwd() + '/dist/leakproof.mjs');
`;
  const files: Record<string, string> = {
    'package.json': JSON.stringify({ scripts: { build: 'node stub-build.mjs' } }),
    'package-lock.json': '{}',
    'stub-build.mjs': build,
    'app/main.ts': 'export {};\n',
    'app/build/build-bundle.ts': 'export {};\n',
    'app/build/bundle-plugins.ts': 'export {};\n',
  };
  for (const [path, text] of Object.entries(files)) {
    await mkdir(dirname(join(dir, path)), { recursive: true });
    await writeFile(join(dir, path), text);
  }
  return dir;
}

/**
 * Every guest runs the service in sim mode for as long as its test lives, and the default universe
 * costs about a quarter of a core each (0.27 measured; 0.08 with 4 symbols). Several guests at once on
 * 2 cores slowed every other test, so the e2e services watch 4 symbols unless a test says otherwise.
 */
const LIGHT_SERVICE_ENV = { LEAKPROOF_TOP_N: '4' };

export async function writeEnvFile(dir: string, env: Record<string, string>): Promise<string> {
  const file = join(dir, 'leakproof.env');
  await writeFile(file, Object.entries({ ...LIGHT_SERVICE_ENV, ...env }).map(([k, v]) => `${k}=${v}\n`).join(''), { mode: 0o600 });
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
