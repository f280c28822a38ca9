/**
 * Time to the startup-cleanup line and RSS then, of `app/main.ts` in sim mode against bybit mode (its
 * endpoints at an emulator in a child process, so no network leaves loopback). Alternating runs, medians.
 * Both emulators push on Bybit's cadence, so the two modes take the same stream.
 * `node --import tsx app/service/testing/measure-startup.ts [runs] [--bundle]`: with --bundle, of the
 * one-file bundle that ships (built first, into a temp dir), on bare node.
 */
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { readFileSync } from 'node:fs';
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { buildBundle } from '../../build/build-bundle.ts';
import { STARTUP_LINE_RE } from '../../cleanup/cleanup-lines.ts';
import { spawnService, waitFor } from '../../testing/service-child.ts';

const ROOT = fileURLToPath(new URL('../../..', import.meta.url));
const args = process.argv.slice(2);
const runs = Number(args.find((a) => /^\d+$/.test(a)) ?? 3);
const built = args.includes('--bundle') ? await buildBundle({ root: ROOT, outDir: await mkdtemp(join(tmpdir(), 'leakproof-start-')) }) : undefined;
if (built && !built.ok) throw new Error(built.reason);
const command = built ? ['--expose-gc', built.bundle] : ['--expose-gc', '--import', 'tsx', 'app/main.ts'];
const rssMb = (pid: number) => Number(/VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1] ?? NaN) / 1024;

const emu = spawn(process.execPath, ['--import', 'tsx', 'app/service/testing/emulator-child.ts', '--symbols', '20'], { cwd: ROOT, stdio: ['pipe', 'pipe', 'inherit'] });
const [line] = (await once(emu.stdout.setEncoding('utf8'), 'data')) as [string];
const { url, wsUrl } = JSON.parse(line.split('\n')[0]!) as { url: string; wsUrl: string };

const modes = {
  sim: { LEAKPROOF_EXCHANGE: 'sim' },
  bybit: { LEAKPROOF_EXCHANGE: 'bybit', LEAKPROOF_BYBIT_REST_URL: url, LEAKPROOF_BYBIT_WS_URL: wsUrl },
} as const;
const samples: Record<string, Array<{ ms: number; rss: number; rss3s: number }>> = { sim: [], bybit: [] };
for (let i = 0; i < runs; i++) {
  for (const [mode, env] of Object.entries(modes)) {
    const started = Date.now();
    const svc = spawnService(command, { cwd: ROOT, env: { ...env, LEAKPROOF_HTTP_PORT: '0', LEAKPROOF_LOG_FORMAT: 'json' } });
    const at = await waitFor(`the ${mode} startup line`, () => {
      const i = svc.messages.findIndex((m) => STARTUP_LINE_RE.test(m));
      return i < 0 ? undefined : svc.arrivedAt[i];
    }, 120_000).catch((err: unknown) => {
      throw new Error(`${String(err)}; stderr: ${svc.stderr().slice(0, 500)}; messages: ${svc.messages.slice(-5).join(' | ')}`);
    });
    // When the line arrived, not when waitFor's 50 ms poll saw it: that put every run on a 50 ms grid.
    const ms = at - started;
    const rss = rssMb(svc.child.pid!);
    await new Promise((r) => setTimeout(r, 3000));
    samples[mode]!.push({ ms, rss, rss3s: rssMb(svc.child.pid!) });
    process.stderr.write(`${mode} run ${i + 1}: ${ms} ms, ${rss.toFixed(1)} MB\n`);
    svc.child.kill('SIGTERM');
    await svc.exited;
  }
}
emu.kill('SIGTERM');
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
for (const [mode, xs] of Object.entries(samples)) {
  console.log(`${mode}: startup line ${median(xs.map((x) => x.ms))} ms, RSS ${median(xs.map((x) => x.rss)).toFixed(1)} MB then, ${median(xs.map((x) => x.rss3s)).toFixed(1)} MB 3 s later (runs: ${xs.map((x) => `${x.ms}ms/${x.rss.toFixed(0)}MB`).join(', ')})`);
}
